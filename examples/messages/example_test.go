package messages_test

import (
	"fmt"

	"github.com/rxsse/rxsse/examples/messages"
)

// Tokens are HS256 JWTs: any instance sharing the secret accepts them.
func ExampleAuth() {
	issuer := messages.NewDemoAuth([]byte("shared secret"))
	other := messages.NewDemoAuth([]byte("shared secret"))
	token, _ := issuer.Login("alice", messages.DemoPassword)
	user, err := other.Verify(token)
	fmt.Println(user, err)
	_, err = issuer.Login("alice", "wrong")
	fmt.Println(err)
	// Output:
	// alice <nil>
	// messages: wrong username or password
}
