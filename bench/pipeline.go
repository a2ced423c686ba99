package main

import (
	"context"
	"errors"
)

func pipelineCmd(ctx context.Context, args []string) error {
	return errors.New("pipeline: not yet")
}
