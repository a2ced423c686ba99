package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/rxsse/rxsse/bench/internal/load"
)

// progressLine shows what a long run is doing on stderr: one line redrawn in
// place on a terminal, a line every few seconds otherwise. Nothing shows in
// a run's first second, so short runs stay quiet. A nil *progressLine shows
// nothing.
type progressLine struct {
	w     io.Writer
	tty   bool
	quiet bool

	mu      sync.Mutex
	label   string
	started time.Time
	printed time.Time
	shown   bool
}

func newProgressLine(quiet bool) *progressLine {
	tty := false
	if fi, err := os.Stderr.Stat(); err == nil {
		tty = fi.Mode()&os.ModeCharDevice != 0
	}
	return &progressLine{w: os.Stderr, tty: tty, quiet: quiet}
}

// start begins a new labelled operation.
func (p *progressLine) start(label string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.label, p.started = label, time.Now()
}

// show reports a load client's progress.
func (p *progressLine) show(pr load.Progress) {
	if p == nil || p.quiet {
		return
	}
	s := fmt.Sprintf("%s, %d/%d connected", pr.Phase, pr.Connected, pr.Conns)
	if pr.Expected > 0 {
		s += fmt.Sprintf(", %d/%d events", pr.Events, pr.Expected)
	} else if pr.Events > 0 {
		s += fmt.Sprintf(", %d events", pr.Events)
	}
	p.text(s)
}

// text shows s after the current label.
func (p *progressLine) text(s string) {
	if p == nil || p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.started) < time.Second {
		return
	}
	line := fmt.Sprintf("[%s %4.0fs] %s", p.label, now.Sub(p.started).Seconds(), s)
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s", line)
		p.shown = true
		return
	}
	if now.Sub(p.printed) >= 3*time.Second {
		fmt.Fprintln(p.w, line)
		p.printed = now
	}
}

// clear removes the line before other output.
func (p *progressLine) clear() {
	if p == nil || p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty && p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}
