package contract

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"syscall"
	"time"
)

// SelfStats reports what this process uses, for PathStats.
func SelfStats() Stats {
	rss, _ := ProcessRSS(os.Getpid())
	samples := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/stacks:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
	}
	metrics.Read(samples)
	val := func(i int) int64 {
		if samples[i].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return int64(samples[i].Value.Uint64())
	}
	return Stats{
		PID:           os.Getpid(),
		RSSBytes:      rss,
		CPUNanos:      int64(SelfCPU()),
		Goroutines:    runtime.NumGoroutine(),
		HeapLiveBytes: val(0),
		StackBytes:    val(1),
		HeapFreeBytes: val(2),
	}
}

// SelfCPU returns the user+system CPU time this process has used.
func SelfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// ErrNoProc is returned when /proc does not have what was asked.
var ErrNoProc = errors.New("contract: no such /proc entry")

// ProcessRSS returns the resident set size of process pid (VmRSS in
// /proc/PID/status).
func ProcessRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrNoProc, err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Bytes()
		if v, ok := bytes.CutPrefix(line, []byte("VmRSS:")); ok {
			f := bytes.Fields(v)
			if len(f) == 2 && string(f[1]) == "kB" {
				kb, err := strconv.ParseInt(string(f[0]), 10, 64)
				if err == nil {
					return kb << 10, nil
				}
			}
		}
	}
	return 0, fmt.Errorf("%w: VmRSS of %d", ErrNoProc, pid)
}

// clockTick is the unit of /proc/PID/stat times: USER_HZ, 100 on Linux.
const clockTick = 10 * time.Millisecond

// ProcessCPU returns the user+system CPU time process pid has used
// (/proc/PID/stat, 10 ms resolution).
func ProcessCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrNoProc, err)
	}
	// The command name (field 2) may hold spaces and parentheses: fields
	// are counted from the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("%w: stat of %d", ErrNoProc, pid)
	}
	f := bytes.Fields(b[i+1:])
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	if len(f) < 13 {
		return 0, fmt.Errorf("%w: stat of %d", ErrNoProc, pid)
	}
	u, err1 := strconv.ParseInt(string(f[11]), 10, 64)
	s, err2 := strconv.ParseInt(string(f[12]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("%w: stat of %d", ErrNoProc, pid)
	}
	return time.Duration(u+s) * clockTick, nil
}

// RaiseFileLimit raises this process's open-file limit (soft, and hard
// when allowed) to at least n and returns the soft limit in force.
// Processes started later inherit it.
func RaiseFileLimit(n uint64) (uint64, error) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, fmt.Errorf("contract: getrlimit: %w", err)
	}
	if lim.Cur >= n {
		return lim.Cur, nil
	}
	want := lim
	want.Cur = n
	if want.Max < n {
		want.Max = n
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want); err != nil {
		// Without the right to raise the hard limit, take what it allows.
		want = lim
		want.Cur = lim.Max
		if err2 := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want); err2 != nil {
			return lim.Cur, fmt.Errorf("contract: setrlimit: %w", err)
		}
		return want.Cur, fmt.Errorf("contract: open-file limit %d < %d: %w", want.Cur, n, err)
	}
	return want.Cur, nil
}

// GoMemory returns this process's live Go heap and goroutine stacks after a
// garbage collection: what the process itself holds, whatever memory it
// kept from earlier work.
func GoMemory() int64 {
	runtime.GC()
	samples := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/stacks:bytes"},
	}
	metrics.Read(samples)
	var sum int64
	for _, s := range samples {
		if s.Value.Kind() == metrics.KindUint64 {
			sum += int64(s.Value.Uint64())
		}
	}
	return sum
}

// MachineCPU returns the CPU time all processes of the machine have used
// (every core, /proc/stat: user, nice, system, irq, softirq, steal), so that
// a run can tell how much of the machine went to processes other than the
// client and the server.
func MachineCPU() (time.Duration, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrNoProc, err)
	}
	line, _, _ := bytes.Cut(b, []byte("\n"))
	f := bytes.Fields(line)
	// cpu user nice system idle iowait irq softirq steal …
	if len(f) < 9 || string(f[0]) != "cpu" {
		return 0, fmt.Errorf("%w: /proc/stat", ErrNoProc)
	}
	var busy int64
	for _, i := range []int{1, 2, 3, 6, 7, 8} {
		v, err := strconv.ParseInt(string(f[i]), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%w: /proc/stat", ErrNoProc)
		}
		busy += v
	}
	return time.Duration(busy) * clockTick, nil
}
