package sse

// autoID is a connection's automatic id counter, kept as decimal digits so
// that writing "id: N" costs a copy, not a number conversion, on the hot
// path. The zero value stands for 1.
type autoID struct {
	d [20]byte // the digits, right-aligned
	n int      // how many digits are in use
}

func (a *autoID) init() {
	if a.n == 0 {
		a.d[len(a.d)-1] = '1'
		a.n = 1
	}
}

// appendLine appends "id: <current>\n".
func (a *autoID) appendLine(dst []byte) []byte {
	a.init()
	dst = append(dst, "id: "...)
	dst = append(dst, a.d[len(a.d)-a.n:]...)
	return append(dst, '\n')
}

// advance moves to the next id.
func (a *autoID) advance() {
	a.init()
	for i := len(a.d) - 1; ; i-- {
		if a.d[i] < '9' {
			a.d[i]++
			return
		}
		a.d[i] = '0'
		if i == len(a.d)-a.n {
			if a.n == len(a.d) {
				a.n = 1 // past 10^20-1: start over rather than overflow
				a.d[len(a.d)-1] = '1'
				return
			}
			a.n++
			a.d[i-1] = '1'
			return
		}
	}
}

// appendNext appends the current id line and advances.
func (a *autoID) appendNext(dst []byte) []byte {
	dst = a.appendLine(dst)
	a.advance()
	return dst
}
