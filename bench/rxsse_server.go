package main

import (
	"errors"
	"net/http"
)

// newRxsseServer returns the contract server built on rxsse.
func newRxsseServer(c serveConfig) (http.Handler, error) {
	return nil, errors.New("serve: the rxsse server needs the sse and bus packages (not landed yet); use -baseline")
}
