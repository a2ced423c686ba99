package messages

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestAuth(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	a := NewDemoAuth([]byte("secret"))
	a.Now = func() time.Time { return now }

	tok, err := a.Login("alice", "rxsse")
	if err != nil {
		t.Fatal(err)
	}
	// The token is a standard HS256 JWT: check it as any JWT library would.
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q has %d parts", tok, len(parts))
	}
	header, _ := base64.RawURLEncoding.DecodeString(parts[0])
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	if string(header) != `{"alg":"HS256","typ":"JWT"}` {
		t.Errorf("header = %s", header)
	}
	if want := `{"sub":"alice","username":"alice","iat":1700000000,"exp":1700086400}`; string(payload) != want {
		t.Errorf("payload = %s, want %s", payload, want)
	}
	m := hmac.New(sha256.New, []byte("secret"))
	m.Write([]byte(parts[0] + "." + parts[1]))
	if want := base64.RawURLEncoding.EncodeToString(m.Sum(nil)); parts[2] != want {
		t.Errorf("signature = %s, want %s", parts[2], want)
	}

	if u, err := a.Verify(tok); err != nil || u != "alice" {
		t.Errorf("Verify = %q, %v; want alice", u, err)
	}

	other := NewDemoAuth([]byte("other secret"))
	other.Now = a.Now
	bobTok, _ := a.Login("bob", "rxsse")
	for _, tc := range []struct {
		name  string
		token string
		want  error
	}{
		{"empty", "", ErrBadToken},
		{"garbage", "not-a-token", ErrBadToken},
		{"other secret", mustLogin(t, other, "alice"), ErrBadToken},
		{"tampered payload", parts[0] + "." + strings.Split(bobTok, ".")[1] + "." + parts[2], ErrBadToken},
		{"no signature", parts[0] + "." + parts[1] + ".", ErrBadToken},
	} {
		if _, err := a.Verify(tc.token); !errors.Is(err, tc.want) {
			t.Errorf("%s: Verify = %v, want %v", tc.name, err, tc.want)
		}
	}

	now = now.Add(24 * time.Hour)
	if _, err := a.Verify(tok); !errors.Is(err, ErrExpiredToken) {
		t.Errorf("after a day: Verify = %v, want %v", err, ErrExpiredToken)
	}

	for _, tc := range [][2]string{{"alice", "wrong"}, {"mallory", "rxsse"}, {"", ""}, {"alice", ""}} {
		if _, err := a.Login(tc[0], tc[1]); !errors.Is(err, ErrBadCredentials) {
			t.Errorf("Login(%q, %q) = %v, want %v", tc[0], tc[1], err, ErrBadCredentials)
		}
	}
}

func mustLogin(t *testing.T, a *Auth, user string) string {
	t.Helper()
	tok, err := a.Login(user, DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
