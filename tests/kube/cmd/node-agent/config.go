package main

import (
	"errors"
	"flag"
	"fmt"
	"time"
)

// config holds the command line; scripts/kube.sh is its only caller.
type config struct {
	kubeconfig  string
	nodeName    string
	imagesDir   string
	stateDir    string
	apiHost     string
	apiPort     string
	backoffBase time.Duration
}

func parseFlags(args []string) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("node-agent", flag.ContinueOnError)
	fs.StringVar(&cfg.kubeconfig, "kubeconfig", "", "kubeconfig with the node's client certificate")
	fs.StringVar(&cfg.nodeName, "node-name", "schemagate-node", "name of the Node to register")
	fs.StringVar(&cfg.imagesDir, "images", "", "directory of image registrations (reference and root file system)")
	fs.StringVar(&cfg.stateDir, "state", "", "working directory for pods, volumes and logs")
	fs.StringVar(&cfg.apiHost, "api-host", "127.0.0.1", "API server address given to containers")
	fs.StringVar(&cfg.apiPort, "api-port", "", "API server port given to containers")
	fs.DurationVar(&cfg.backoffBase, "backoff-base", 10*time.Second, "initial crash-loop back-off, doubled up to 30 times it")
	if err := fs.Parse(args); err != nil {
		return cfg, fmt.Errorf("parse flags: %w", err)
	}
	if cfg.kubeconfig == "" || cfg.imagesDir == "" || cfg.stateDir == "" || cfg.apiPort == "" {
		return cfg, errors.New("--kubeconfig, --images, --state and --api-port are required")
	}
	return cfg, nil
}
