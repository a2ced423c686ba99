// Package browsertest drives the example pages in a real headless Chromium
// (Debian's chromium, found by testenv.Chromium) through chromedp.
//
// One browser process serves all the tests of a package (starting Chromium
// costs about a second); every Page lives in its own browser context, the
// equivalent of a fresh incognito profile, so two pages are two users that
// share no cookies, storage or connections. Call Close from TestMain after
// m.Run so that no browser process or goroutine outlives the tests.
package browsertest

import (
	"context"
	"fmt"
	"math"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rxsse/rxsse/internal/testenv"
)

// Timeout bounds every single browser action (a navigation, a click, a wait).
// A test that needs a longer wait says so with WaitFor's timeout argument.
const Timeout = 15 * time.Second

var shared struct {
	mu      sync.Mutex
	browser *Browser
}

// Browser is one headless Chromium process.
type Browser struct {
	ctx         context.Context // a chromedp context whose first tab started the browser
	cancel      context.CancelFunc
	cancelAlloc context.CancelFunc
	dataDir     string
}

// Shared returns the package's browser, starting it on first use. The test
// is skipped (or failed under make test) when Chromium is not installed.
func Shared(t testing.TB) *Browser {
	t.Helper()
	path := testenv.Chromium(t)
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.browser == nil {
		b, err := start(path)
		if err != nil {
			t.Fatalf("browsertest: %v", err)
		}
		shared.browser = b
	}
	return shared.browser
}

// Close stops the shared browser, if one was started, and waits for its
// process to exit.
func Close() {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if b := shared.browser; b != nil {
		shared.browser = nil
		b.cancel()
		b.cancelAlloc()
		os.RemoveAll(b.dataDir)
	}
}

// start launches Chromium with the flags the project's CI uses and a fresh
// profile directory.
func start(path string) (*Browser, error) {
	dir, err := os.MkdirTemp("", "rxsse-chromium-")
	if err != nil {
		return nil, err
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.UserDataDir(dir),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.WindowSize(1280, 1000),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
	)
	ctx, cancel := chromedp.NewContext(allocCtx)
	// The first Run starts the process; it must not carry a timeout, which
	// would stop the browser when it fires.
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		cancelAlloc()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("starting %s: %w", path, err)
	}
	return &Browser{ctx: ctx, cancel: cancel, cancelAlloc: cancelAlloc, dataDir: dir}, nil
}

// Page is one tab. Pages made by NewPage are isolated from each other; pages
// made by Page.NewTab share their user's browser context.
type Page struct {
	t      testing.TB
	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	console  []chromedp.ConsoleMessage
	consoled chan struct{} // closed when the console reader has stopped
}

// NewPage opens a tab in a new browser context: a user with an empty
// profile. The tab is closed when the test ends, and the test fails if the
// page threw an uncaught exception.
func (b *Browser) NewPage(t testing.TB) *Page {
	t.Helper()
	return open(t, b.ctx, chromedp.WithNewBrowserContext())
}

// NewTab opens another tab for the same user (same browser context, so the
// same cookies and storage), closed when the test ends.
func (p *Page) NewTab(t testing.TB) *Page {
	t.Helper()
	return open(t, p.ctx)
}

func open(t testing.TB, parent context.Context, opts ...chromedp.ContextOption) *Page {
	t.Helper()
	ctx, cancel := chromedp.NewContext(parent, opts...)
	// Creating the tab is the first Run on this context: no timeout either.
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		t.Fatalf("browsertest: opening a tab: %v", err)
	}
	p := &Page{t: t, ctx: ctx, cancel: cancel, consoled: make(chan struct{})}
	messages := chromedp.Console(ctx)
	go func() {
		defer close(p.consoled)
		for m, err := range messages {
			if err != nil {
				return
			}
			p.mu.Lock()
			p.console = append(p.console, m)
			p.mu.Unlock()
		}
	}()
	t.Cleanup(p.Close)
	return p
}

// Close closes the tab (and its browser context if it owns one): the
// page's connections end as they do when a user closes a tab. It reports an
// uncaught exception of the page as a test error. It is safe to call twice.
func (p *Page) Close() {
	p.cancel()
	<-p.consoled
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, m := range p.console {
		if m.IsException() {
			p.t.Errorf("browsertest: uncaught exception in the page: %s (%s:%d)", m.Text, m.URL, m.Line+1)
		}
	}
	p.console = nil
}

// Console returns what the page wrote to its console so far, one message a
// line, for failure messages.
func (p *Page) Console() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var b strings.Builder
	for _, m := range p.console {
		fmt.Fprintf(&b, "  %s\n", m)
	}
	return b.String()
}

// Run runs actions on the tab within Timeout, failing the test on error.
func (p *Page) Run(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.t.Fatalf("browsertest: %v\nconsole:\n%s", err, p.Console())
	}
}

// Navigate loads url and waits for the page's load event.
func (p *Page) Navigate(url string) {
	p.t.Helper()
	p.Run(chromedp.Navigate(url))
}

// Click clicks the first element matching the CSS selector once it is
// visible.
func (p *Page) Click(sel string) {
	p.t.Helper()
	p.Run(chromedp.Click(chromedp.CSS(sel)))
}

// ClickAt clicks the element matching sel at offset (x, y) from its top-left
// border corner, with a real mouse event. The browser gives a mouse event
// whole-pixel coordinates, so the click lands on the pixel nearest to the
// point: an element at a fractional position sees an offset within half a
// pixel of (x, y).
func (p *Page) ClickAt(sel string, x, y float64) {
	p.t.Helper()
	box := Eval[struct{ Left, Top float64 }](p, fmt.Sprintf(
		`(() => { const r = document.querySelector(%q).getBoundingClientRect(); return {Left: r.left, Top: r.top}; })()`, sel))
	p.Run(chromedp.MouseClickXY(math.Round(box.Left+x), math.Round(box.Top+y)))
}

// SetValue sets the value of the input matching sel.
func (p *Page) SetValue(sel, value string) {
	p.t.Helper()
	p.Run(chromedp.SetValue(chromedp.CSS(sel), value))
}

// Eval evaluates a JavaScript expression in the page and decodes its value
// (Promises are awaited).
func Eval[T any](p *Page, expr string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("browsertest: evaluating %s: %v\nconsole:\n%s", expr, err, p.Console())
	}
	return v
}

// WaitFor waits until the JavaScript expression is truthy in the page, for
// at most timeout (Timeout when zero), checking at every animation frame and
// on every change of the DOM.
func (p *Page) WaitFor(expr string, timeout time.Duration) {
	p.t.Helper()
	if timeout == 0 {
		timeout = Timeout
	}
	ctx, cancel := context.WithTimeout(p.ctx, timeout+5*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr,
		chromedp.WithPollingInterval(10*time.Millisecond), chromedp.WithPollingTimeout(timeout)))
	if err != nil {
		p.t.Fatalf("browsertest: waiting for %s: %v\nconsole:\n%s", expr, err, p.Console())
	}
}

// Texts returns the text content of every element matching the CSS
// selector, in document order.
func Texts(p *Page, sel string) []string {
	p.t.Helper()
	return Eval[[]string](p, fmt.Sprintf(`Array.from(document.querySelectorAll(%q), (e) => e.textContent)`, sel))
}

// WaitTexts waits until the elements matching sel number exactly len(want)
// and returns their texts; the caller compares them.
func WaitTexts(p *Page, sel string, n int, timeout time.Duration) []string {
	p.t.Helper()
	p.WaitFor(fmt.Sprintf(`document.querySelectorAll(%q).length >= %d`, sel, n), timeout)
	return Texts(p, sel)
}
