// Command gen writes rx/op/op.go from package rx; run it with go generate
// in rx/op.
package main

import (
	"log"
	"os"

	"github.com/rxsse/rxsse/rx/op/internal/opgen"
)

func main() {
	src, err := opgen.Generate("..")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("op.go", src, 0o644); err != nil {
		log.Fatal(err)
	}
}
