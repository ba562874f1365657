// Command node-agent stands in for the kubelet on the test control plane,
// where no container runtime exists. It registers one Node, renews its Lease,
// and runs the pods the scheduler binds to it as local processes: each
// container is a re-exec of this binary in new mount, UTS and PID namespaces
// that chroots into a private copy of the image's root file system (images are
// directories registered with `scripts/kube.sh image`), then execs the
// container's command. Pod status is reported the way kubelet reports it.
//
// Left out, on purpose: network namespaces (every pod shares the host network;
// podIP and hostIP are 127.0.0.1, so two pods must not listen on one port),
// cgroups and resource limits (no OOMKilled, no resourceFieldRef), the kubelet
// API (no kubectl logs/exec/port-forward: container output goes to
// --state/logs/<namespace>_<pod>_<container>.log), image pulls, sidecar
// (restartable) init containers, ephemeral containers, lifecycle hooks other
// than preStop exec, readiness gates, events, service environment variables
// other than KUBERNETES_*, volume types other than emptyDir, hostPath, secret,
// configMap, downwardAPI and projected, refreshing of mounted secrets,
// configMaps and tokens after the pod starts, and recovering running
// containers across an agent restart.
package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == runContainerCommand {
		os.Exit(runContainer(os.Args[2:]))
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		logger.Error("bad arguments", "err", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := run(ctx, cfg, logger); err != nil {
		logger.Error("node agent failed", "err", err)
		os.Exit(1)
	}
}
