package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// demoSecret signs the demo's login tokens unless -jwt-secret or JWT_SECRET
// says otherwise. It is public, like the demo passwords: fine for a demo,
// and it lets two instances accept each other's tokens out of the box.
const demoSecret = "rxsse-demo-secret"

// config is what the command line and the environment choose.
type config struct {
	Addr      string // where to listen
	RedisURL  string // "" for the in-memory bus
	JWTSecret string
	TLS       bool // HTTPS (and so HTTP/2) with a self-signed certificate made at start

	// The server's limits; zero means the default.
	IdleTimeout         time.Duration // keep-alive connection idle between requests (60 s)
	ShutdownGrace       time.Duration // time given to open streams at shutdown (3 s)
	MaxStreams          int           // streams open at once (sse's default: 3/4 of the file limit)
	MaxStreamsPerClient int           // streams open at once per client address (none)
	RedisWait           time.Duration // how long to wait for Redis at start (30 s)
}

// Defaults of the zero fields of config.
const (
	defaultIdleTimeout   = 60 * time.Second
	defaultShutdownGrace = 3 * time.Second
	defaultRedisWait     = 30 * time.Second
)

// parseConfig reads flags from args, with defaults from the environment
// (PORT, REDIS_URL, JWT_SECRET, TLS): a flag wins over its variable.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	addr := ":3000"
	if p := getenv("PORT"); p != "" {
		addr = ":" + p
	}
	secret := getenv("JWT_SECRET")
	if secret == "" {
		secret = demoSecret
	}
	useTLS, _ := strconv.ParseBool(getenv("TLS"))
	var c config
	fs := flag.NewFlagSet("examples", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: go run ./examples [flags]\n\nThe rxsse demo server: every ported example and an index page at /.\n\n")
		fs.PrintDefaults()
	}
	fs.StringVar(&c.Addr, "addr", addr, "listen address (env PORT sets the port)")
	fs.StringVar(&c.RedisURL, "redis", getenv("REDIS_URL"), "Redis URL for the bus shared by instances, e.g. redis://127.0.0.1:6379 (env REDIS_URL); in-memory bus when empty")
	fs.StringVar(&c.JWTSecret, "jwt-secret", secret, "secret that signs login tokens (env JWT_SECRET); instances that share it accept each other's tokens")
	fs.BoolVar(&c.TLS, "tls", useTLS, "serve HTTPS, and so HTTP/2, with a self-signed certificate made at start (env TLS=1): a browser then has no limit of 6 connections, one per open stream, per host")
	fs.DurationVar(&c.IdleTimeout, "idle-timeout", defaultIdleTimeout, "close a keep-alive connection idle this long between requests (open streams are not idle)")
	fs.DurationVar(&c.ShutdownGrace, "shutdown-grace", defaultShutdownGrace, "at shutdown, time given to open streams to write their last events before their connections are cut (idle connections close at once)")
	fs.IntVar(&c.MaxStreams, "max-streams", 0, "streams open at once, answered 503 with Retry-After beyond (0: three quarters of the open-file limit)")
	fs.IntVar(&c.MaxStreamsPerClient, "max-streams-per-client", 0, "streams open at once per client IP address (0: no limit)")
	fs.DurationVar(&c.RedisWait, "redis-wait", defaultRedisWait, "at start, how long to wait for a Redis that does not answer yet before giving up (once running, a Redis outage answers publishes 503 until it is back)")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return c, nil
}

// browserURL is the URL to print for a listener's address: a wildcard host
// becomes localhost, so that the line can be clicked.
func browserURL(addr net.Addr, useTLS bool) string {
	scheme := "http://"
	if useTLS {
		scheme = "https://"
	}
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return scheme + addr.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return scheme + host + ":" + port
}
