package controller_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/rx"
)

// notes is a controller as a Nest user would port one.
type notes struct{ log *trace }

// trace records the order things ran in.
type trace struct {
	mu    sync.Mutex
	steps []string
}

func (t *trace) add(s string) {
	t.mu.Lock()
	t.steps = append(t.steps, s)
	t.mu.Unlock()
}

func (t *trace) take() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := strings.Join(t.steps, " ")
	t.steps = nil
	return s
}

func (tr *trace) middleware(name string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			tr.add(name + "(" + r.PathValue("uid") + ")")
			next.ServeHTTP(w, r)
		})
	}
}

func (tr *trace) guard(name string) controller.Guard {
	return func(r *http.Request) error {
		tr.add(name)
		return nil
	}
}

type userIn struct {
	UID string `path:"uid"`
}

type noteIn struct {
	userIn
	ID string `path:"id"`
}

func (n *notes) Routes(r *controller.Router) {
	r.Use(n.log.middleware("notes-mw"))
	r.UseGuards(n.log.guard("notes-guard"))
	controller.Get(r, "/", func(_ context.Context, in *userIn) (string, error) {
		n.log.add("list")
		return "list " + in.UID, nil
	})
	controller.Get(r, "/{id}", func(_ context.Context, in *noteIn) (string, error) {
		n.log.add("get")
		return "note " + in.UID + "/" + in.ID, nil
	}, controller.Guards(n.log.guard("route-guard")))
	r.Mount("/{id}/comments", controller.RoutesFunc(func(r *controller.Router) {
		controller.Get(r, "/", func(_ context.Context, in *noteIn) (string, error) {
			return "comments " + in.UID + "/" + in.ID, nil
		})
	}))
	r.Handle("GET /static/files/", http.StripPrefix("/users/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "file "+r.URL.Path)
	})))
}

func TestMountAndMiddleware(t *testing.T) {
	t.Parallel()
	tr := &trace{}
	r, _ := newRouter(nil)
	r.Use(tr.middleware("root-mw"))
	r.UseGuards(tr.guard("root-guard"))
	r.Mount("/users/{uid}/notes", &notes{log: tr})
	controller.Get(r, "/", func(context.Context, *struct{}) (string, error) { return "home", nil })
	srv := serve(t, r)

	cases := []struct{ path, body, steps string }{
		{"/users/u1/notes", "list u1", "root-mw(u1) notes-mw(u1) root-guard notes-guard list"},
		{"/users/u1/notes/", "list u1", "root-mw(u1) notes-mw(u1) root-guard notes-guard list"},
		{"/users/u1/notes/n2", "note u1/n2", "root-mw(u1) notes-mw(u1) root-guard notes-guard route-guard get"},
		{"/users/u1/notes/n2/", "note u1/n2", "root-mw(u1) notes-mw(u1) root-guard notes-guard route-guard get"},
		{"/users/u1/notes/n2/comments", "comments u1/n2", "root-mw(u1) notes-mw(u1) root-guard notes-guard"},
		{"/users/u1/notes/static/files/a/b", "file u1/notes/static/files/a/b", "root-mw(u1) notes-mw(u1) root-guard notes-guard"},
		{"/", "home", "root-mw() root-guard"},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			srv.do(t, "GET", tc.path, "").check(t, 200, tc.body)
			if got := tr.take(); got != tc.steps {
				t.Errorf("steps %q, want %q", got, tc.steps)
			}
		})
	}
	t.Run("unmatched", func(t *testing.T) {
		srv.do(t, "GET", "/users/u1/notes/n2/x", "").check(t, 404,
			`{"message":"Cannot GET /users/u1/notes/n2/x","error":"Not Found","statusCode":404}`)
		if got := tr.take(); got != "root-mw() notes-mw()" {
			t.Errorf("steps %q: an unmatched request goes through the middleware of the routers whose prefix holds it", got)
		}
		srv.do(t, "GET", "/elsewhere", "").check(t, 404,
			`{"message":"Cannot GET /elsewhere","error":"Not Found","statusCode":404}`)
		if got := tr.take(); got != "root-mw()" {
			t.Errorf("steps %q, want the root's middleware alone", got)
		}
	})
}

func TestRouterUnderAnotherRouter(t *testing.T) {
	t.Parallel()
	api, _ := newRouter(nil)
	api.Mount("/echo", controller.RoutesFunc(func(r *controller.Router) {
		controller.Get(r, "/{word}", func(_ context.Context, in *struct {
			Word string `path:"word"`
		}) (string, error) {
			return in.Word, nil
		})
	}))
	mux := http.NewServeMux()
	mux.Handle("/api/", http.StripPrefix("/api", api))
	mux.HandleFunc("/other", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "other") })
	srv := serve(t, mux)
	srv.do(t, "GET", "/api/echo/hi", "").check(t, 200, "hi")
	srv.do(t, "GET", "/other", "").check(t, 200, "other")
	srv.do(t, "GET", "/api/nope", "").check(t, 404, `{"message":"Cannot GET /nope","error":"Not Found","statusCode":404}`)
}

func TestRegistrationPanics(t *testing.T) {
	t.Parallel()
	ok := func(context.Context, *struct{}) (string, error) { return "", nil }
	type unsupported struct {
		M map[string]string `query:"m"`
	}
	type noWildcard struct {
		ID string `path:"id"`
	}
	type twoBodies struct {
		A struct{} `body:""`
		B struct{} `body:""`
	}
	type twoSources struct {
		A string `query:"a" header:"a"`
	}
	type emptyName struct {
		A string `query:""`
	}
	type badDefault struct {
		N int `query:"n" default:"many"`
	}
	type unexported struct {
		a string `query:"a"`
	}
	type pathSlice struct {
		IDs []string `path:"ids"`
	}
	cases := []struct {
		name, want string
		register   func(r *controller.Router)
	}{
		{"input not a struct", "controller: input type int must be a struct", func(r *controller.Router) {
			controller.Get(r, "/x", func(context.Context, *int) (string, error) { return "", nil })
		}},
		{"unsupported parameter type", "controller: input type controller_test.unsupported, field M: unsupported parameter type map[string]string", func(r *controller.Router) {
			controller.Get(r, "/x", func(context.Context, *unsupported) (string, error) { return "", nil })
		}},
		{"path parameter not in the pattern", "controller: input type controller_test.noWildcard, field ID: the pattern has no wildcard {id}", func(r *controller.Router) {
			controller.Get(r, "/x/{ID}", func(context.Context, *noWildcard) (string, error) { return "", nil })
		}},
		{"two bodies", "controller: input type controller_test.twoBodies, field B: the body is already field A", func(r *controller.Router) {
			controller.Post(r, "/x", func(context.Context, *twoBodies) (string, error) { return "", nil })
		}},
		{"two sources", "controller: input type controller_test.twoSources, field A: tagged both query and header", func(r *controller.Router) {
			controller.Get(r, "/x", func(context.Context, *twoSources) (string, error) { return "", nil })
		}},
		{"empty name", `controller: input type controller_test.emptyName, field A: query tag "" must be a name`, func(r *controller.Router) {
			controller.Get(r, "/x", func(context.Context, *emptyName) (string, error) { return "", nil })
		}},
		{"bad default", `controller: input type controller_test.badDefault, field N: default "many" must be an integer number`, func(r *controller.Router) {
			controller.Get(r, "/x", func(context.Context, *badDefault) (string, error) { return "", nil })
		}},
		{"unexported parameter", "controller: input type controller_test.unexported, field a: a parameter field must be exported", func(r *controller.Router) {
			controller.Get(r, "/x", func(context.Context, *unexported) (string, error) { return "", nil })
		}},
		{"slice from the path", "controller: input type controller_test.pathSlice, field IDs: a path parameter cannot be a slice", func(r *controller.Router) {
			controller.Get(r, "/x/{ids}", func(context.Context, *pathSlice) (string, error) { return "", nil })
		}},
		{"method mismatch", `controller: route "POST /x": registered as GET`, func(r *controller.Router) {
			controller.Get(r, "POST /x", ok)
		}},
		{"path without slash", `controller: route "x": the path must start with /`, func(r *controller.Router) {
			controller.Get(r, "x", ok)
		}},
		{"nil handler", `controller: route "/x": nil handler`, func(r *controller.Router) {
			controller.Get[struct{}, string](r, "/x", nil)
		}},
		{"conflict", `controller: route "GET /x": pattern "GET /x"`, func(r *controller.Router) {
			controller.Get(r, "/x", ok)
			controller.Get(r, "/x/", ok)
		}},
		{"Use after routes", "controller: Use must be called before the router's routes", func(r *controller.Router) {
			controller.Get(r, "/x", ok)
			r.Use(func(h http.Handler) http.Handler { return h })
		}},
		{"UseGuards after routes", "controller: UseGuards must be called before the router's routes", func(r *controller.Router) {
			controller.Get(r, "/x", ok)
			r.UseGuards(func(*http.Request) error { return nil })
		}},
		{"interceptor of another type", `controller: route "GET /x": interceptor of rx.Observable[int] on a route of rx.Observable[string]`, func(r *controller.Router) {
			controller.Get(r, "/x", ok, controller.Intercept(func(_ context.Context, o rx.Observable[int]) rx.Observable[int] { return o }))
		}},
		{"Mount prefix without slash", `controller: Mount prefix "notes" must start with /`, func(r *controller.Router) {
			r.Mount("notes", controller.RoutesFunc(func(*controller.Router) {}))
		}},
		{"Mount prefix ending the path", `controller: Mount prefix "/{rest...}" cannot end the path ({name...} or {$})`, func(r *controller.Router) {
			r.Mount("/{rest...}", controller.RoutesFunc(func(*controller.Router) {}))
		}},
		{"Status not a status", "controller: Status(42): not an HTTP status", func(r *controller.Router) {
			controller.Get(r, "/x", ok, controller.Status(42))
		}},
		{"nil guard", "controller: Guards: nil guard", func(r *controller.Router) {
			controller.Get(r, "/x", ok, controller.Guards(nil))
		}},
		{"bad ServeMux pattern", `controller: route "GET /x/{a": `, func(r *controller.Router) {
			r.Handle("GET /x/{a", http.NotFoundHandler())
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				v := recover()
				msg, _ := v.(string)
				if !strings.HasPrefix(msg, tc.want) {
					t.Errorf("panic %q\nwant prefix %q", v, tc.want)
				}
			}()
			r, _ := newRouter(nil)
			tc.register(r)
		})
	}
}

func TestRegisterAfterServing(t *testing.T) {
	t.Parallel()
	r, _ := newRouter(nil)
	srv := serve(t, r)
	srv.do(t, "GET", "/", "").check(t, 404, `{"message":"Cannot GET /","error":"Not Found","statusCode":404}`)
	defer func() {
		if v := recover(); v != `controller: route "GET /late" registered after the router started serving` {
			t.Errorf("panic %v", v)
		}
	}()
	controller.Get(r, "/late", func(context.Context, *struct{}) (string, error) { return "", nil })
}
