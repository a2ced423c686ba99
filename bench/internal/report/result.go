package report

// Metric names a measured quantity and how to read it.
type Metric struct {
	Key   string
	Label string
	Unit  Unit
	// Higher is true when a larger value is better (throughput), false when
	// smaller is better (latency, memory); ratios are read accordingly.
	Higher bool
}

// CaseResult is what repeated runs of one case (fanout c=1000 n=200, idle
// c=5000, …) measured on one target.
type CaseResult struct {
	Case   string         `json:"case"`
	Kind   string         `json:"kind"`
	Params map[string]int `json:"params"`
	Target string         `json:"target"`
	// Values holds one Stat per metric key.
	Values map[string]Stat `json:"values"`
	// Integrity is "ok" when every run delivered every event exactly, else
	// what went wrong; "" for cases that do not check delivery.
	Integrity string   `json:"integrity,omitempty"`
	Errors    []string `json:"errors,omitempty"`
}
