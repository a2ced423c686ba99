package controller

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// CORSOptions configures CORS. A nil *CORSOptions means Nest's
// app.enableCors() defaults: any origin ("*"), the methods GET, HEAD, PUT,
// PATCH, POST and DELETE, the request headers the browser asks for, no
// credentials.
type CORSOptions struct {
	// AllowedOrigins lists the origins allowed, as browsers send them
	// ("https://app.example.com"). An entry may hold one "*" for any run of
	// characters ("https://*.example.com"); "*" alone allows every origin.
	// Empty means every origin.
	AllowedOrigins []string
	// AllowOriginFunc, when set, decides which origins are allowed instead of
	// AllowedOrigins.
	AllowOriginFunc func(r *http.Request, origin string) bool
	// AllowedMethods answers preflights. Empty means GET, HEAD, PUT, PATCH,
	// POST, DELETE.
	AllowedMethods []string
	// AllowedHeaders answers preflights. Empty means the headers the
	// preflight asks for (Access-Control-Request-Headers), as Nest does.
	AllowedHeaders []string
	// ExposedHeaders are the response headers scripts may read
	// (Access-Control-Expose-Headers).
	ExposedHeaders []string
	// AllowCredentials lets browsers send cookies and read the response
	// (EventSource with withCredentials: true, fetch with credentials:
	// "include"). Browsers refuse "*" with credentials, so the request's
	// origin is echoed instead.
	AllowCredentials bool
	// MaxAge is how long a browser may cache a preflight's answer
	// (Access-Control-Max-Age, whole seconds). Zero sends no header.
	MaxAge time.Duration
}

// CORS returns middleware that answers CORS preflight requests and adds
// CORS headers to the responses of allowed origins. Use it on the root
// router, whose middleware runs before routing, so that preflights (OPTIONS
// requests) reach it. It works with SSE routes: its headers are set before
// the stream's and are kept.
func CORS(opts *CORSOptions) func(http.Handler) http.Handler {
	c := newCORS(opts)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			origin := r.Header.Get("Origin")
			if origin == "" {
				next.ServeHTTP(w, r)
				return
			}
			h := w.Header()
			if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
				c.preflight(h, r, origin)
				h.Set("Content-Length", "0")
				w.WriteHeader(http.StatusNoContent)
				return
			}
			if c.varies {
				h.Add("Vary", "Origin")
			}
			if c.allowed(r, origin) {
				c.setOrigin(h, origin)
				if c.exposed != "" {
					h.Set("Access-Control-Expose-Headers", c.exposed)
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

// cors is CORSOptions prepared once.
type cors struct {
	any         bool // every origin is allowed
	exact       map[string]bool
	patterns    [][2]string // prefix and suffix around a "*"
	originFunc  func(*http.Request, string) bool
	methods     string
	headers     string // "" means echo the request's
	exposed     string
	credentials bool
	maxAge      string
	// varies is set when the answer depends on the Origin header, so caches
	// must key on it.
	varies bool
}

func newCORS(o *CORSOptions) *cors {
	if o == nil {
		o = &CORSOptions{}
	}
	c := &cors{
		exact:       map[string]bool{},
		originFunc:  o.AllowOriginFunc,
		methods:     "GET,HEAD,PUT,PATCH,POST,DELETE",
		headers:     strings.Join(o.AllowedHeaders, ","),
		exposed:     strings.Join(o.ExposedHeaders, ","),
		credentials: o.AllowCredentials,
	}
	if len(o.AllowedMethods) > 0 {
		c.methods = strings.ToUpper(strings.Join(o.AllowedMethods, ","))
	}
	if o.MaxAge > 0 {
		c.maxAge = strconv.FormatInt(int64(o.MaxAge/time.Second), 10)
	}
	if len(o.AllowedOrigins) == 0 {
		c.any = true
	}
	for _, origin := range o.AllowedOrigins {
		origin = strings.ToLower(strings.TrimSpace(origin))
		switch before, after, wild := strings.Cut(origin, "*"); {
		case origin == "*":
			c.any = true
		case wild:
			c.patterns = append(c.patterns, [2]string{before, after})
		default:
			c.exact[origin] = true
		}
	}
	c.varies = !c.any || c.credentials || c.originFunc != nil
	return c
}

func (c *cors) allowed(r *http.Request, origin string) bool {
	if c.originFunc != nil {
		return c.originFunc(r, origin)
	}
	if c.any {
		return true
	}
	origin = strings.ToLower(origin)
	if c.exact[origin] {
		return true
	}
	for _, p := range c.patterns {
		if len(origin) >= len(p[0])+len(p[1]) && strings.HasPrefix(origin, p[0]) && strings.HasSuffix(origin, p[1]) {
			return true
		}
	}
	return false
}

// setOrigin names the allowed origin: "*" when any will do and no
// credentials travel, the request's own origin otherwise.
func (c *cors) setOrigin(h http.Header, origin string) {
	if c.any && !c.credentials && c.originFunc == nil {
		h.Set("Access-Control-Allow-Origin", "*")
	} else {
		h.Set("Access-Control-Allow-Origin", origin)
	}
	if c.credentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
}

func (c *cors) preflight(h http.Header, r *http.Request, origin string) {
	h.Add("Vary", "Origin")
	h.Add("Vary", "Access-Control-Request-Method")
	h.Add("Vary", "Access-Control-Request-Headers")
	if !c.allowed(r, origin) {
		return
	}
	c.setOrigin(h, origin)
	h.Set("Access-Control-Allow-Methods", c.methods)
	headers := c.headers
	if headers == "" {
		headers = r.Header.Get("Access-Control-Request-Headers")
	}
	if headers != "" {
		h.Set("Access-Control-Allow-Headers", headers)
	}
	if c.maxAge != "" {
		h.Set("Access-Control-Max-Age", c.maxAge)
	}
}
