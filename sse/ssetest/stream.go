package ssetest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
)

// ReadN reads the next n events from r. It fails with io.ErrUnexpectedEOF
// when the stream ends first.
func (r *Reader) ReadN(n int) ([]Event, error) {
	out := make([]Event, 0, n)
	for len(out) < n {
		ev, err := r.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = fmt.Errorf("ssetest: stream ended after %d of %d events: %w", len(out), n, io.ErrUnexpectedEOF)
			}
			return out, err
		}
		out = append(out, ev)
	}
	return out, nil
}

// ReadAll reads events until the stream ends.
func (r *Reader) ReadAll() ([]Event, error) {
	var out []Event
	for {
		ev, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, ev)
	}
}

// Stream is an open event-stream response.
type Stream struct {
	*Reader
	// Response is the response; its Body is read by Reader.
	Response *http.Response
}

// Open sends a GET request for url with client (http.DefaultClient when nil)
// and the given extra headers (for example Last-Event-ID), and checks that
// the answer is a stream: status 200 and Content-Type text/event-stream. The
// request ends with ctx or Close.
func Open(ctx context.Context, client *http.Client, url string, header http.Header) (*Stream, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("ssetest: %w", err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Accept", "text/event-stream")
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("ssetest: %w", err)
	}
	if err := Check(resp); err != nil {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		return nil, fmt.Errorf("%w: body %q", err, body)
	}
	return &Stream{Reader: NewReader(resp.Body), Response: resp}, nil
}

// Close ends the request.
func (s *Stream) Close() error { return s.Response.Body.Close() }

// Check reports whether resp is what EventSource accepts as a stream:
// status 200 and Content-Type text/event-stream.
func Check(resp *http.Response) error {
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("ssetest: status %d, want 200", resp.StatusCode)
	}
	mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil || mt != "text/event-stream" {
		return fmt.Errorf("ssetest: Content-Type %q, want text/event-stream", resp.Header.Get("Content-Type"))
	}
	return nil
}
