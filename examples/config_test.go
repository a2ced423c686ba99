package main

import (
	"errors"
	"flag"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// cfg is c with the defaults of the limits.
func cfg(c config) config {
	c.IdleTimeout, c.ShutdownGrace, c.RedisWait = defaultIdleTimeout, defaultShutdownGrace, defaultRedisWait
	return c
}

func TestParseConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want config
	}{
		{"defaults", nil, nil, cfg(config{Addr: ":3000", JWTSecret: demoSecret})},
		{"PORT", nil, map[string]string{"PORT": "8080"}, cfg(config{Addr: ":8080", JWTSecret: demoSecret})},
		{"flag wins over PORT", []string{"-addr", "127.0.0.1:9000"}, map[string]string{"PORT": "8080"}, cfg(config{Addr: "127.0.0.1:9000", JWTSecret: demoSecret})},
		{"REDIS_URL", nil, map[string]string{"REDIS_URL": "redis://r:6379"}, cfg(config{Addr: ":3000", RedisURL: "redis://r:6379", JWTSecret: demoSecret})},
		{"-redis wins", []string{"-redis", "redis://a:1"}, map[string]string{"REDIS_URL": "redis://r:6379"}, cfg(config{Addr: ":3000", RedisURL: "redis://a:1", JWTSecret: demoSecret})},
		{"JWT_SECRET", nil, map[string]string{"JWT_SECRET": "s"}, cfg(config{Addr: ":3000", JWTSecret: "s"})},
		{"-jwt-secret", []string{"-jwt-secret=t"}, map[string]string{"JWT_SECRET": "s"}, cfg(config{Addr: ":3000", JWTSecret: "t"})},
		{"TLS", nil, map[string]string{"TLS": "1"}, cfg(config{Addr: ":3000", JWTSecret: demoSecret, TLS: true})},
		{"-tls", []string{"-tls"}, nil, cfg(config{Addr: ":3000", JWTSecret: demoSecret, TLS: true})},
		{"limits", []string{"-idle-timeout=5s", "-shutdown-grace=100ms", "-max-streams=10", "-max-streams-per-client=2"}, nil,
			config{Addr: ":3000", JWTSecret: demoSecret, IdleTimeout: 5 * time.Second, ShutdownGrace: 100 * time.Millisecond, MaxStreams: 10, MaxStreamsPerClient: 2, RedisWait: defaultRedisWait}},
		{"-tls=false wins", []string{"-tls=false"}, map[string]string{"TLS": "true"}, cfg(config{Addr: ":3000", JWTSecret: demoSecret})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseConfig(tc.args, func(k string) string { return tc.env[k] }, io.Discard)
			if err != nil || got != tc.want {
				t.Errorf("parseConfig(%q) = %+v, %v; want %+v", tc.args, got, err, tc.want)
			}
		})
	}

	var usage strings.Builder
	if _, err := parseConfig([]string{"-h"}, func(string) string { return "" }, &usage); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v, want flag.ErrHelp", err)
	}
	if !strings.Contains(usage.String(), "Usage: go run ./examples") || !strings.Contains(usage.String(), "-redis") {
		t.Errorf("usage:\n%s", usage.String())
	}
	if _, err := parseConfig([]string{"extra"}, func(string) string { return "" }, io.Discard); err == nil {
		t.Error("an extra argument is accepted")
	}
	if _, err := parseConfig([]string{"-port", "1"}, func(string) string { return "" }, io.Discard); err == nil {
		t.Error("an unknown flag is accepted")
	}
}

func TestBrowserURL(t *testing.T) {
	for _, tc := range []struct {
		addr   string
		useTLS bool
		want   string
	}{
		{"[::]:3000", false, "http://localhost:3000"},
		{"0.0.0.0:3000", false, "http://localhost:3000"},
		{"127.0.0.1:8080", false, "http://127.0.0.1:8080"},
		{"[::1]:8080", false, "http://[::1]:8080"},
		{"[::]:3000", true, "https://localhost:3000"},
	} {
		a, err := net.ResolveTCPAddr("tcp", tc.addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := browserURL(a, tc.useTLS); got != tc.want {
			t.Errorf("browserURL(%s, %v) = %s, want %s", tc.addr, tc.useTLS, got, tc.want)
		}
	}
}
