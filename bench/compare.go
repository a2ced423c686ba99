package main

import (
	"context"
	"errors"
)

func compareCmd(ctx context.Context, args []string) error {
	return errors.New("compare: not yet")
}
