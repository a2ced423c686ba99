//go:build linux

package sse

import (
	"net"
	"sync"
	"syscall"
)

// epollWatcher watches the connections of many detached streams with one
// epoll instance and one goroutine, which runs only while it watches some.
// A connection that becomes readable is handed back to its stream: hung up
// or in error (the client left), the stream ends; readable with bytes (a
// client that sends something while it listens), the stream falls back to
// a goroutine that reads and ignores them.
type epollWatcher struct {
	mu      sync.Mutex
	epfd    int              // -1 when not running
	wake    [2]int           // a pipe: writing to it ends the loop
	streams map[int]*watched // by file descriptor
}

type watched struct {
	s    *stream
	conn net.Conn
}

func newWatcher() watcher { return &epollWatcher{epfd: -1} }

// fdOf returns conn's file descriptor, or -1.
func fdOf(conn net.Conn) int {
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return -1
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return -1
	}
	fd := -1
	if err := raw.Control(func(f uintptr) { fd = int(f) }); err != nil {
		return -1
	}
	return fd
}

func (w *epollWatcher) watch(s *stream, conn net.Conn) bool {
	fd := fdOf(conn)
	if fd < 0 {
		return false // TLS, say: not a plain socket
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.epfd < 0 && !w.startLocked() {
		return false
	}
	ev := syscall.EpollEvent{Events: syscall.EPOLLIN | syscall.EPOLLRDHUP, Fd: int32(fd)}
	if err := syscall.EpollCtl(w.epfd, syscall.EPOLL_CTL_ADD, fd, &ev); err != nil {
		w.stopIfIdleLocked()
		return false
	}
	w.streams[fd] = &watched{s: s, conn: conn}
	return true
}

func (w *epollWatcher) unwatch(s *stream, conn net.Conn) bool {
	fd := fdOf(conn)
	w.mu.Lock()
	defer w.mu.Unlock()
	if x, ok := w.streams[fd]; ok && x.s == s {
		w.removeLocked(fd)
		return true
	}
	return false
}

// removeLocked stops watching fd, which is still open.
func (w *epollWatcher) removeLocked(fd int) {
	_ = syscall.EpollCtl(w.epfd, syscall.EPOLL_CTL_DEL, fd, nil)
	delete(w.streams, fd)
	w.stopIfIdleLocked()
}

// startLocked creates the epoll instance and starts the loop.
func (w *epollWatcher) startLocked() bool {
	epfd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return false
	}
	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_CLOEXEC|syscall.O_NONBLOCK); err != nil {
		syscall.Close(epfd)
		return false
	}
	ev := syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(p[0])}
	if err := syscall.EpollCtl(epfd, syscall.EPOLL_CTL_ADD, p[0], &ev); err != nil {
		syscall.Close(epfd)
		syscall.Close(p[0])
		syscall.Close(p[1])
		return false
	}
	w.epfd, w.wake, w.streams = epfd, p, make(map[int]*watched)
	go w.loop(epfd, p)
	return true
}

// stopIfIdleLocked ends the loop when nothing is watched: an account with
// no detached stream holds no goroutine.
func (w *epollWatcher) stopIfIdleLocked() {
	if len(w.streams) > 0 || w.epfd < 0 {
		return
	}
	_, _ = syscall.Write(w.wake[1], []byte{0})
	w.epfd = -1
}

// loop waits for events until woken through the pipe with nothing left to
// watch. The epoll instance and the pipe are its own: it closes them.
func (w *epollWatcher) loop(epfd int, wake [2]int) {
	defer func() {
		syscall.Close(epfd)
		syscall.Close(wake[0])
		syscall.Close(wake[1])
	}()
	var events [128]syscall.EpollEvent
	for {
		n, err := syscall.EpollWait(epfd, events[:], -1)
		if err != nil {
			if err == syscall.EINTR {
				continue
			}
			return
		}
		var left []*watched
		var readable []*watched
		w.mu.Lock()
		for _, ev := range events[:n] {
			fd := int(ev.Fd)
			if fd == wake[0] {
				if w.epfd != epfd {
					w.mu.Unlock()
					return // stopped; a new loop may run with a new instance
				}
				var b [16]byte
				_, _ = syscall.Read(wake[0], b[:])
				continue
			}
			x, ok := w.streams[fd]
			if !ok {
				continue
			}
			// Hand the connection back before anything closes it.
			_ = syscall.EpollCtl(epfd, syscall.EPOLL_CTL_DEL, fd, nil)
			delete(w.streams, fd)
			if ev.Events&(syscall.EPOLLRDHUP|syscall.EPOLLHUP|syscall.EPOLLERR) != 0 {
				left = append(left, x)
			} else {
				readable = append(readable, x)
			}
		}
		w.stopIfIdleLocked()
		w.mu.Unlock()
		for _, x := range left {
			go x.s.clientLeft()
		}
		for _, x := range readable {
			go watchWithGoroutine(x.s, x.conn)
		}
	}
}
