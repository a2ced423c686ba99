package load

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"
)

// stream is one open event stream: a raw TCP connection with the response
// headers read, so that a client costs one goroutine and small buffers
// rather than a full http.Transport connection (two more goroutines).
type stream struct {
	conn net.Conn
	body io.Reader // the de-chunked body
}

// dialer opens streams, spreading connections over several loopback source
// addresses when there are more than one address's ephemeral ports can
// carry.
type dialer struct {
	target  *Target
	sources []net.IP // nil: let the kernel choose
	perIP   int
	bufSize int
}

// perSourceIP is how many connections one source address carries: below
// the default ephemeral port range (32768–60999).
const perSourceIP = 20_000

// newDialer prepares connections for n streams to t. Source addresses are
// used from index first on when n needs more than one or first is positive.
func newDialer(t *Target, n, bufSize, first int) (*dialer, error) {
	d := &dialer{target: t, perIP: perSourceIP, bufSize: bufSize}
	if n <= perSourceIP && first == 0 {
		return d, nil
	}
	ip := net.ParseIP(t.URL.Hostname())
	if ip == nil || ip.To4() == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("load: %d connections need several source addresses, which needs an IPv4 loopback target (got %s)", n, t.URL.Host)
	}
	for i := 0; i*perSourceIP < n; i++ {
		if first+i >= 250 {
			return nil, fmt.Errorf("load: %d connections is more than this client supports", n)
		}
		// 127.0.1.x: apart from 127.0.0.1, which the control client uses.
		d.sources = append(d.sources, net.IPv4(127, 0, 1, byte(1+first+i)))
	}
	return d, nil
}

// Sources returns how many source addresses the dialer uses.
func (d *dialer) Sources() int { return max(1, len(d.sources)) }

// open connects stream number i to route and reads the response headers.
func (d *dialer) open(ctx context.Context, i int, route string) (*stream, error) {
	nd := net.Dialer{Timeout: 10 * time.Second}
	if d.sources != nil {
		nd.LocalAddr = &net.TCPAddr{IP: d.sources[i/d.perIP]}
		// Let connect() pick the port per destination, not bind().
		nd.Control = func(_, _ string, c syscall.RawConn) error {
			var serr error
			err := c.Control(func(fd uintptr) {
				serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IP, ipBindAddressNoPort, 1)
			})
			if err != nil {
				return err
			}
			return serr
		}
	}
	conn, err := nd.DialContext(ctx, "tcp", d.target.hostPort)
	if err != nil {
		return nil, fmt.Errorf("load: dial: %w", err)
	}
	s, err := d.handshake(conn, route)
	if err != nil {
		abort(conn)
		return nil, err
	}
	return s, nil
}

// ipBindAddressNoPort is IP_BIND_ADDRESS_NO_PORT (linux/in.h).
const ipBindAddressNoPort = 24

func (d *dialer) handshake(conn net.Conn, route string) (*stream, error) {
	if err := conn.SetDeadline(time.Now().Add(15 * time.Second)); err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	req := "GET " + d.target.path(route, "") + " HTTP/1.1\r\nHost: " + d.target.URL.Host +
		"\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\nUser-Agent: rxsse-bench\r\n\r\n"
	if _, err := io.WriteString(conn, req); err != nil {
		return nil, fmt.Errorf("load: request: %w", err)
	}
	br := bufio.NewReaderSize(conn, d.bufSize)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return nil, fmt.Errorf("load: response: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("load: %s: status %s", route, resp.Status)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		return nil, fmt.Errorf("load: %s: content type %q", route, ct)
	}
	if err := conn.SetDeadline(time.Time{}); err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	return &stream{conn: conn, body: resp.Body}, nil
}

// close ends the stream with a reset rather than a FIN, so that the client
// side leaves no TIME_WAIT sockets holding ports for the next run.
func (s *stream) close() { abort(s.conn) }

func abort(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // best effort: a normal close is fine too
	}
	_ = c.Close() // nothing to do about a failed close of a socket we drop
}
