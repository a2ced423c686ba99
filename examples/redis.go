package main

import (
	"cmp"
	"context"
	"log/slog"
	"time"

	"github.com/rxsse/rxsse/bus/redisbus"
)

// connectRedis connects to the Redis bus, waiting up to cfg.RedisWait for
// a Redis that does not answer yet (started after the demo, or restarting):
// one line says so, then it retries every second.
func connectRedis(ctx context.Context, cfg config, tune tuning, logger *slog.Logger) (*redisbus.Hub, error) {
	opts := &redisbus.Options{Stream: tune.RedisStream, Logger: logger}
	wait := cmp.Or(cfg.RedisWait, defaultRedisWait)
	deadline := time.Now().Add(wait)
	for first := true; ; first = false {
		hub, err := redisbus.New(ctx, cfg.RedisURL, opts)
		if err == nil {
			if !first {
				logger.Info("connected to Redis", "url", cfg.RedisURL)
			}
			return hub, nil
		}
		if wait < 0 || time.Now().After(deadline) {
			return nil, err
		}
		if first {
			logger.Warn("Redis does not answer yet: waiting for it", "url", cfg.RedisURL, "wait", wait, "err", err)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Second):
		}
	}
}
