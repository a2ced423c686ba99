package messages

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// DemoPassword is the password of every demo user.
const DemoPassword = "rxsse"

// DemoUsers are the users of the demo, all with DemoPassword.
var DemoUsers = []string{"alice", "bob", "carol"}

// Errors of Auth.
var (
	ErrBadCredentials = errors.New("messages: wrong username or password")
	ErrBadToken       = errors.New("messages: invalid token")
	ErrExpiredToken   = errors.New("messages: expired token")
)

// Auth logs users in and checks their tokens: HS256 JSON Web Tokens, as
// Nest's JwtService signs them, so that any instance sharing Secret accepts
// a token another one issued.
type Auth struct {
	// Secret signs the tokens. It must not be empty.
	Secret []byte
	// TTL is how long a token is valid.
	TTL time.Duration
	// Passwords maps a username to its password.
	Passwords map[string]string
	// Now returns the current time (time.Now when nil).
	Now func() time.Time
}

// NewDemoAuth returns an Auth for DemoUsers, with tokens valid for a day.
func NewDemoAuth(secret []byte) *Auth {
	pw := make(map[string]string, len(DemoUsers))
	for _, u := range DemoUsers {
		pw[u] = DemoPassword
	}
	return &Auth{Secret: secret, TTL: 24 * time.Hour, Passwords: pw}
}

type claims struct {
	Sub      string `json:"sub"`
	Username string `json:"username"`
	Iat      int64  `json:"iat"`
	Exp      int64  `json:"exp"`
}

// jwtHeader is the base64url form of {"alg":"HS256","typ":"JWT"}.
var jwtHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))

func (a *Auth) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// Login checks the password and returns a token for username.
func (a *Auth) Login(username, password string) (string, error) {
	want, ok := a.Passwords[username]
	// Compare even for an unknown user, so that timing does not tell
	// which usernames exist.
	if subtle.ConstantTimeCompare([]byte(password), []byte(want)) != 1 || !ok {
		return "", ErrBadCredentials
	}
	now := a.now()
	payload, err := json.Marshal(claims{Sub: username, Username: username, Iat: now.Unix(), Exp: now.Add(a.TTL).Unix()})
	if err != nil {
		return "", err
	}
	unsigned := jwtHeader + "." + base64.RawURLEncoding.EncodeToString(payload)
	return unsigned + "." + a.sign(unsigned), nil
}

// Verify returns the username a valid, unexpired token was issued to.
func (a *Auth) Verify(token string) (string, error) {
	unsigned, sig, ok := cutLast(token, '.')
	if !ok {
		return "", ErrBadToken
	}
	if !hmac.Equal([]byte(sig), []byte(a.sign(unsigned))) {
		return "", ErrBadToken
	}
	header, payload, ok := strings.Cut(unsigned, ".")
	if !ok || header != jwtHeader {
		return "", ErrBadToken
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrBadToken, err)
	}
	var c claims
	if err := json.Unmarshal(raw, &c); err != nil || c.Sub == "" {
		return "", ErrBadToken
	}
	if a.now().Unix() >= c.Exp {
		return "", ErrExpiredToken
	}
	return c.Sub, nil
}

func (a *Auth) sign(unsigned string) string {
	if len(a.Secret) == 0 {
		panic("messages: Auth with an empty Secret")
	}
	m := hmac.New(sha256.New, a.Secret)
	m.Write([]byte(unsigned))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func cutLast(s string, sep byte) (before, after string, ok bool) {
	i := strings.LastIndexByte(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}
