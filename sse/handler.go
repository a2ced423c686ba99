package sse

import (
	"net/http"

	"github.com/rxsse/rxsse/rx"
)

// HandlerFunc returns the stream for one request. Before returning it may
// set headers with w.Header().Set and the status with w.WriteHeader(code):
// nothing is sent until the first event, one scheduler tick after
// subscribing, or completion. It must not write a body; if it does, it has
// answered the request itself and no stream is served. A returned error is
// answered with WriteError.
//
// r's context is the stream's (see WithStreamContext): it ends when the
// client leaves or the stream ends, so subscriptions made with it live as
// long as the stream.
type HandlerFunc[T any] func(w http.ResponseWriter, r *http.Request) (rx.Observable[T], error)

// Handler returns an http.Handler that calls fn and serves the stream it
// returns with Serve. nil opts means the defaults. Its streams are counted
// in opts.Streams, or else in an account of the handler's own: either way
// http.Server.Shutdown ends them.
func Handler[T any](fn HandlerFunc[T], opts *Options) http.Handler {
	if fn == nil {
		panic("sse: Handler: nil HandlerFunc")
	}
	cfg := opts.config()
	acct := cfg.streams
	if acct == nil {
		acct = new(Streams)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = WithStreamContext(r)
		hw := &handlerWriter{ResponseWriter: w}
		obs, err := fn(hw, r)
		if hw.answered {
			if err != nil {
				logError(r.Context(), r, opts.logger(), "sse: handler failed after writing a response", err)
			}
			return
		}
		if err != nil {
			WriteError(w, r, err, opts.logger())
			return
		}
		serve(w, r, obs, hw.status, cfg, acct)
	})
}

// handlerWriter is the ResponseWriter a HandlerFunc sees: it holds back the
// status until the stream's headers go out.
type handlerWriter struct {
	http.ResponseWriter
	status   int
	answered bool // the handler wrote a body: it answered itself
}

func (w *handlerWriter) WriteHeader(code int) {
	if !w.answered && w.status == 0 {
		w.status = code
	}
}

func (w *handlerWriter) Write(p []byte) (int, error) {
	if !w.answered {
		w.answered = true
		if w.status != 0 {
			w.ResponseWriter.WriteHeader(w.status)
		}
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the server's ResponseWriter.
func (w *handlerWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
