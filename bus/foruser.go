package bus

import "github.com/rxsse/rxsse/rx"

// ForUser keeps the messages of src meant for user (see Message.For): those
// not addressed to users, and those addressed to user among others. It is the
// filter-by-user step for pipelines that carry addressed messages from any
// source; a hub's Subscribe already routes by user.
func ForUser(src rx.Observable[*Message], user string) rx.Observable[*Message] {
	return rx.Filter(src, func(m *Message) bool { return m.For(user) })
}
