package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/client-go/util/flowcontrol"
)

// kubelet's defaults: crash loops and image pulls back off from 10 s to 300 s.
const maxBackoffFactor = 30

// agent is the state shared by the node's loops and its pod workers.
type agent struct {
	cfg          config
	client       kubernetes.Interface
	log          *slog.Logger
	crashBackoff *flowcontrol.Backoff
	imageBackoff *flowcontrol.Backoff
	images       *imageStore
	// ctx ends when the agent shuts down; pod workers stop starting containers.
	ctx context.Context
}

func run(ctx context.Context, cfg config, logger *slog.Logger) error {
	restConfig, err := clientcmd.BuildConfigFromFlags("", cfg.kubeconfig)
	if err != nil {
		return fmt.Errorf("load kubeconfig %s: %w", cfg.kubeconfig, err)
	}
	restConfig.UserAgent = "schemagate-node-agent"
	client, err := kubernetes.NewForConfig(restConfig)
	if err != nil {
		return fmt.Errorf("build client: %w", err)
	}
	for _, dir := range []string{"pods", "logs"} {
		if err := os.MkdirAll(filepath.Join(cfg.stateDir, dir), 0o755); err != nil {
			return fmt.Errorf("create state directory: %w", err)
		}
	}
	a := &agent{
		cfg:          cfg,
		client:       client,
		log:          logger,
		crashBackoff: flowcontrol.NewBackOff(cfg.backoffBase, cfg.backoffBase*maxBackoffFactor),
		imageBackoff: flowcontrol.NewBackOff(cfg.backoffBase, cfg.backoffBase*maxBackoffFactor),
		images:       &imageStore{dir: cfg.imagesDir},
		ctx:          ctx,
	}
	if err := a.registerNode(ctx); err != nil {
		return err
	}
	var loops sync.WaitGroup
	loops.Go(func() { a.heartbeat(ctx) })
	loops.Go(func() { a.reportNodeStatus(ctx) })
	loops.Go(func() { a.backoffGC(ctx) })
	pods := newPodManager(a)
	if err := pods.run(ctx); err != nil {
		return err
	}
	logger.Info("shutting down: stopping every container")
	pods.shutdown()
	loops.Wait()
	return nil
}

// backoffGC keeps the back-off tables from growing with every pod ever run.
func (a *agent) backoffGC(ctx context.Context) {
	ticker := time.NewTicker(time.Minute)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			a.crashBackoff.GC()
			a.imageBackoff.GC()
		}
	}
}
