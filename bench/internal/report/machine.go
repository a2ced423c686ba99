// Package report turns measurements into what a reader sees: the machine
// they were taken on, medians with their range, tables, JSON and charts.
package report

import (
	"bytes"
	"os"
	"runtime"
	"strings"
	"syscall"
)

// Machine describes where a run happened.
type Machine struct {
	Cores      int    `json:"cores"`
	CPU        string `json:"cpu"`
	GoVersion  string `json:"go_version"`
	OS         string `json:"os"`
	Arch       string `json:"arch"`
	Kernel     string `json:"kernel"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	// LoadAvg is the 1-minute load average when the run started: on a
	// shared machine it shows how busy the cores already were.
	LoadAvg string `json:"load_avg"`
}

// DescribeMachine reads the machine's description.
func DescribeMachine() Machine {
	m := Machine{
		Cores:      runtime.NumCPU(),
		GoVersion:  runtime.Version(),
		OS:         runtime.GOOS,
		Arch:       runtime.GOARCH,
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		LoadAvg:    LoadAvg(),
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range bytes.Lines(b) {
			if k, v, ok := bytes.Cut(line, []byte(":")); ok && string(bytes.TrimSpace(k)) == "model name" {
				m.CPU = string(bytes.TrimSpace(v))
				break
			}
		}
	}
	var u syscall.Utsname
	if syscall.Uname(&u) == nil {
		m.Kernel = utsString(u.Release[:])
	}
	return m
}

// LoadAvg returns the 1, 5 and 15-minute load averages, or "".
func LoadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

func utsString(a []int8) string {
	var b strings.Builder
	for _, c := range a {
		if c == 0 {
			break
		}
		b.WriteByte(byte(c))
	}
	return b.String()
}

// String is a one-line description.
func (m Machine) String() string {
	var b strings.Builder
	b.WriteString(itoa(m.Cores) + " cores")
	if m.CPU != "" {
		b.WriteString(" (" + m.CPU + ")")
	}
	b.WriteString(", " + m.OS + "/" + m.Arch)
	if m.Kernel != "" {
		b.WriteString(" " + m.Kernel)
	}
	b.WriteString(", " + m.GoVersion + ", GOMAXPROCS " + itoa(m.GOMAXPROCS))
	if m.LoadAvg != "" {
		b.WriteString(", load average " + m.LoadAvg + " at start")
	}
	return b.String()
}
