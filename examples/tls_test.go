package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rxsse/rxsse/sse/ssetest"
)

// Over TLS the demo speaks HTTP/2: one connection carries more streams than
// the 6 HTTP/1.1 connections a browser opens per host, and each stream gets
// its events. The certificate is valid for the address, signed by itself.
func TestHTTP2Streams(t *testing.T) {
	i := startInstance(t, config{Addr: "127.0.0.1:0", JWTSecret: demoSecret, TLS: true}, tuning{HelloPeriod: 10 * time.Millisecond})
	var dials atomic.Int32
	d := &net.Dialer{Timeout: wait}
	tr := &http.Transport{
		ForceAttemptHTTP2: true,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials.Add(1)
			return d.DialContext(ctx, network, addr)
		},
		TLSClientConfig: &tls.Config{
			InsecureSkipVerify: true, // verified below, against the certificate itself
			VerifyConnection: func(cs tls.ConnectionState) error {
				if len(cs.PeerCertificates) == 0 {
					return errors.New("no certificate")
				}
				leaf := cs.PeerCertificates[0]
				roots := x509.NewCertPool()
				roots.AddCert(leaf)
				_, err := leaf.Verify(x509.VerifyOptions{Roots: roots, DNSName: "127.0.0.1"})
				return err
			},
		},
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}

	const n = 8
	streams := make([]*ssetest.Stream, n)
	for k := range streams {
		s, err := ssetest.Open(t.Context(), client, i.url()+"/sse", nil)
		if err != nil {
			t.Fatalf("stream %d: %v", k, err)
		}
		defer s.Close()
		if s.Response.ProtoMajor != 2 {
			t.Fatalf("stream %d over %s, want HTTP/2", k, s.Response.Proto)
		}
		streams[k] = s
	}
	for k, s := range streams {
		evs, err := s.ReadN(2)
		if err != nil || evs[0].Data != `{"hello":"world"}` {
			t.Fatalf("stream %d: %+v, %v", k, evs, err)
		}
	}
	if got := dials.Load(); got != 1 {
		t.Errorf("%d connections for %d streams, want 1", got, n)
	}
	// Shutting down ends every stream cleanly, over HTTP/2 too.
	i.stop()
	for k, s := range streams {
		if _, err := s.ReadAll(); err != nil {
			t.Errorf("stream %d after shutdown: %v", k, err)
		}
	}
}
