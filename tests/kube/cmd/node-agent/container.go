package main

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// container is the state kubelet keeps for one container of a pod across
// its restarts. The pod worker's mutex guards it.
type container struct {
	spec    corev1.Container
	isInit  bool
	imageID string
	// id is the latest instance's container ID.
	id         string
	instances  int32
	waiting    *corev1.ContainerStateWaiting
	running    *corev1.ContainerStateRunning
	terminated *corev1.ContainerStateTerminated
	last       *corev1.ContainerStateTerminated
	started    bool
	ready      bool
	finishedAt time.Time
	current    *instance
}

// waitingError is a container that could not be created; it is reported as
// a waiting state and retried after retryAfter.
type waitingError struct {
	reason     string
	message    string
	retryAfter time.Duration
}

func (e *waitingError) Error() string { return e.reason + ": " + e.message }

// runContainer starts c and restarts it as the pod's restartPolicy says.
// It returns true when c finished successfully for good.
func (w *podWorker) runContainer(ctx context.Context, c *container) bool {
	for {
		if !w.waitCrashLoopBackoff(ctx, c) {
			return false
		}
		inst, err := w.startContainer(ctx, c)
		if err != nil {
			var waiting *waitingError
			if !errors.As(err, &waiting) {
				waiting = &waitingError{reason: "RunContainerError", message: err.Error(), retryAfter: w.a.cfg.backoffBase}
			}
			w.log.Info("container not started", "container", c.spec.Name, "reason", waiting.reason, "message", waiting.message)
			w.setWaiting(c, waiting.reason, waiting.message)
			if !sleepCtx(ctx, waiting.retryAfter) {
				return false
			}
			continue
		}
		if inst.startError == "" {
			w.supervise(ctx, c, inst)
		}
		exitCode := w.recordExit(c, inst)
		if ctx.Err() != nil {
			return false
		}
		if !w.shouldRestart(c, exitCode) {
			return exitCode == 0
		}
	}
}

func (w *podWorker) shouldRestart(c *container, exitCode int32) bool {
	w.mu.Lock()
	policy := w.pod.Spec.RestartPolicy
	w.mu.Unlock()
	switch {
	case c.isInit && exitCode == 0:
		return false
	case policy == corev1.RestartPolicyAlways:
		return true
	case policy == corev1.RestartPolicyOnFailure:
		return exitCode != 0
	default:
		return false
	}
}

// waitCrashLoopBackoff applies kubelet's doBackOff: the first restart is
// immediate, each later one waits twice as long, from the last exit.
func (w *podWorker) waitCrashLoopBackoff(ctx context.Context, c *container) bool {
	w.mu.Lock()
	finished := c.finishedAt
	pod := w.pod
	w.mu.Unlock()
	if finished.IsZero() {
		return true
	}
	key := string(w.uid) + "/" + c.spec.Name
	if w.a.crashBackoff.IsInBackOffSince(key, finished) {
		delay := w.a.crashBackoff.Get(key)
		message := fmt.Sprintf("back-off %s restarting failed container=%s pod=%s_%s(%s)",
			delay, c.spec.Name, pod.Name, pod.Namespace, pod.UID)
		w.mu.Lock()
		if c.terminated != nil {
			c.last = c.terminated
			c.terminated = nil
		}
		c.waiting = &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff", Message: message}
		w.mu.Unlock()
		w.changed()
		if !sleepCtx(ctx, time.Until(finished.Add(delay))) {
			return false
		}
	}
	w.a.crashBackoff.Next(key, finished)
	return true
}

func (w *podWorker) setWaiting(c *container, reason, message string) {
	w.mu.Lock()
	if c.terminated != nil {
		c.last = c.terminated
		c.terminated = nil
	}
	c.running = nil
	c.waiting = &corev1.ContainerStateWaiting{Reason: reason, Message: message}
	w.mu.Unlock()
	w.changed()
}

// supervise waits for the instance to exit, probing it meanwhile, and stops
// it when the pod must stop.
func (w *podWorker) supervise(ctx context.Context, c *container, inst *instance) {
	w.mu.Lock()
	if c.terminated != nil {
		c.last = c.terminated
	}
	c.waiting, c.terminated = nil, nil
	c.running = &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(inst.startedAt)}
	c.started = c.spec.StartupProbe == nil
	c.ready = c.started && c.spec.ReadinessProbe == nil
	c.current = inst
	w.mu.Unlock()
	w.changed()
	w.log.Info("container started", "container", c.spec.Name, "id", inst.id, "pid", inst.cmd.Process.Pid)

	probeCtx, stopProbes := context.WithCancel(ctx)
	defer stopProbes()
	go w.probe(probeCtx, c, inst)
	select {
	case <-inst.exited:
	case <-ctx.Done():
		w.mu.Lock()
		grace := w.grace
		w.mu.Unlock()
		w.kill(c, inst, grace)
	}
}

// kill stops an instance as kubelet does: preStop hook, SIGTERM to the
// container's init process, SIGKILL when the grace period runs out.
func (w *podWorker) kill(c *container, inst *instance, grace time.Duration) {
	deadline := time.Now().Add(grace)
	if hook := c.spec.Lifecycle; hook != nil && hook.PreStop != nil && hook.PreStop.Exec != nil {
		hookCtx, cancel := context.WithDeadline(context.Background(), deadline)
		if _, err := w.execInContainer(hookCtx, inst, hook.PreStop.Exec.Command); err != nil {
			w.log.Info("preStop hook failed", "container", c.spec.Name, "err", err)
		}
		cancel()
	}
	inst.signal(syscall.SIGTERM)
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case <-inst.exited:
		return
	case <-timer.C:
	case <-w.forceKill:
	}
	inst.signal(syscall.SIGKILL)
	<-inst.exited
}

// recordExit turns the instance's end into the container's terminated state.
func (w *podWorker) recordExit(c *container, inst *instance) int32 {
	finished := time.Now()
	state := &corev1.ContainerStateTerminated{
		ContainerID: inst.id,
		StartedAt:   metav1.NewTime(inst.startedAt),
		FinishedAt:  metav1.NewTime(finished),
	}
	if inst.startError != "" {
		state.ExitCode = 128
		state.Reason = "StartError"
		state.Message = inst.startError
		state.StartedAt = metav1.NewTime(time.Unix(0, 0))
	} else {
		state.ExitCode = inst.exitCode
		state.Reason = "Completed"
		if inst.exitCode != 0 {
			state.Reason = "Error"
		}
		state.Message = terminationMessage(&c.spec, inst)
	}
	w.mu.Lock()
	c.running, c.waiting = nil, nil
	c.terminated = state
	c.started, c.ready = false, false
	c.finishedAt = finished
	c.current = nil
	w.mu.Unlock()
	w.changed()
	w.log.Info("container exited", "container", c.spec.Name, "exitCode", state.ExitCode, "reason", state.Reason)
	return state.ExitCode
}
