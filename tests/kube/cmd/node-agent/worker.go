package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
)

const (
	deadlineReason  = "DeadlineExceeded"
	deadlineMessage = "Pod was active on the node longer than the specified deadline"
	// The grace period of a pod deleted outright: kubelet's minimum.
	forcedGrace = time.Second
)

// podWorker runs one pod from admission to deletion: sandbox, init
// containers, regular containers, termination, final status, deletion.
type podWorker struct {
	a   *agent
	uid types.UID
	dir string
	log *slog.Logger

	// mu guards the pod, its containers' state and the flags below.
	mu           sync.Mutex
	pod          *corev1.Pod
	startTime    *metav1.Time
	init         []*container
	regular      []*container
	sandboxReady bool
	initialized  bool
	// terminal is set once no container runs or will run again.
	terminal    bool
	failReason  string
	failMessage string
	grace       time.Duration
	stopping    bool
	gone        bool
	quiet       bool
	// alreadyTerminal pods finished before this agent started: nothing runs.
	alreadyTerminal bool
	posted          *corev1.PodStatus

	// ctx ends when the pod must stop: deletion, deadline or agent shutdown.
	ctx       context.Context
	cancel    context.CancelFunc
	dirty     chan struct{}
	forceKill chan struct{}
	release   chan struct{}
	forceOnce sync.Once
	relOnce   sync.Once
	postMu    sync.Mutex
}

func newPodWorker(a *agent, pod *corev1.Pod, alreadyTerminal bool) *podWorker {
	ctx, cancel := context.WithCancel(context.Background())
	w := &podWorker{
		a:               a,
		uid:             pod.UID,
		dir:             filepath.Join(a.cfg.stateDir, "pods", string(pod.UID)),
		log:             a.log.With("pod", pod.Namespace+"/"+pod.Name),
		pod:             pod,
		alreadyTerminal: alreadyTerminal,
		ctx:             ctx,
		cancel:          cancel,
		dirty:           make(chan struct{}, 1),
		forceKill:       make(chan struct{}),
		release:         make(chan struct{}),
	}
	for _, spec := range pod.Spec.InitContainers {
		w.init = append(w.init, &container{spec: spec, isInit: true})
	}
	for _, spec := range pod.Spec.Containers {
		w.regular = append(w.regular, &container{spec: spec})
	}
	return w
}

// update takes the informer's latest copy of the pod.
func (w *podWorker) update(pod *corev1.Pod) {
	w.mu.Lock()
	w.pod = pod
	w.mu.Unlock()
	if pod.DeletionTimestamp != nil {
		grace := podGrace(pod)
		if pod.DeletionGracePeriodSeconds != nil {
			grace = time.Duration(*pod.DeletionGracePeriodSeconds) * time.Second
		}
		w.stop(grace)
		w.relOnce.Do(func() { close(w.release) })
	}
	w.changed()
}

// removed handles a pod deleted outright: its processes are killed at once.
func (w *podWorker) removed() {
	w.mu.Lock()
	w.gone = true
	w.mu.Unlock()
	w.stop(forcedGrace)
	w.forceOnce.Do(func() { close(w.forceKill) })
	w.relOnce.Do(func() { close(w.release) })
}

// shutdown stops the containers but leaves the pod object alone: the agent
// is going away, not the pod.
func (w *podWorker) shutdown() {
	w.mu.Lock()
	w.quiet = true
	grace := podGrace(w.pod)
	w.mu.Unlock()
	w.stop(grace)
	w.relOnce.Do(func() { close(w.release) })
}

// stop ends the pod's containers with the given grace period; a second call
// may only shorten it.
func (w *podWorker) stop(grace time.Duration) {
	w.mu.Lock()
	if !w.stopping || grace < w.grace {
		w.grace = grace
	}
	w.stopping = true
	w.mu.Unlock()
	w.cancel()
}

func podGrace(pod *corev1.Pod) time.Duration {
	if pod.Spec.TerminationGracePeriodSeconds != nil {
		return time.Duration(*pod.Spec.TerminationGracePeriodSeconds) * time.Second
	}
	return corev1.DefaultTerminationGracePeriodSeconds * time.Second
}

func (w *podWorker) run() {
	defer w.cancel()
	statusDone := make(chan struct{})
	go w.statusLoop(statusDone)
	if !w.alreadyTerminal {
		w.lifecycle()
		w.finish()
	}
	<-w.release
	close(statusDone)
	w.mu.Lock()
	deleteObject := !w.gone && !w.quiet
	w.mu.Unlock()
	if deleteObject {
		w.deletePod()
	}
	if err := os.RemoveAll(w.dir); err != nil {
		w.log.Error("remove pod state", "err", err)
	}
}

func (w *podWorker) lifecycle() {
	ctx := w.ctx
	w.mu.Lock()
	start := metav1.Now()
	if w.pod.Status.StartTime != nil {
		start = *w.pod.Status.StartTime
	}
	w.startTime = &start
	deadline := w.pod.Spec.ActiveDeadlineSeconds
	w.mu.Unlock()
	w.changed()
	if deadline != nil {
		timer := time.AfterFunc(time.Until(start.Add(time.Duration(*deadline)*time.Second)), w.deadlineExceeded)
		defer timer.Stop()
	}
	if !w.prepareSandbox(ctx) {
		return
	}
	for _, c := range w.init {
		if !w.runContainer(ctx, c) {
			return
		}
	}
	w.mu.Lock()
	w.initialized = true
	w.mu.Unlock()
	var all sync.WaitGroup
	for _, c := range w.regular {
		all.Go(func() { w.runContainer(ctx, c) })
	}
	all.Wait()
}

func (w *podWorker) deadlineExceeded() {
	w.mu.Lock()
	w.failReason, w.failMessage = deadlineReason, deadlineMessage
	grace := podGrace(w.pod)
	w.mu.Unlock()
	w.log.Info("active deadline exceeded")
	w.stop(grace)
}

// prepareSandbox creates the pod's directory and volumes, retrying until the
// volumes' sources exist, as kubelet's volume manager does. The first retries
// come fast: the Node authorizer learns of a new pod's references a moment
// after the pod is bound.
func (w *podWorker) prepareSandbox(ctx context.Context) bool {
	retry := 500 * time.Millisecond
	for {
		err := w.setupVolumes(ctx)
		if err == nil {
			w.mu.Lock()
			w.sandboxReady = true
			w.mu.Unlock()
			w.changed()
			return true
		}
		w.log.Error("volume setup failed, will retry", "err", err)
		if !sleepCtx(ctx, retry) {
			return false
		}
		retry = min(2*retry, w.a.cfg.backoffBase)
	}
}

// finish marks the pod terminal and posts its final status.
func (w *podWorker) finish() {
	w.mu.Lock()
	w.terminal = true
	quiet := w.quiet
	w.mu.Unlock()
	if quiet {
		return
	}
	for attempt := 0; ; attempt++ {
		err := w.syncStatus()
		if err == nil || apierrors.IsNotFound(err) {
			return
		}
		w.log.Error("final status update failed, will retry", "err", err)
		if !sleepCtx(w.a.ctx, time.Second) {
			return
		}
	}
}

// deletePod removes the object once its containers are gone, as kubelet's
// status manager does: immediately, and only this incarnation of it.
func (w *podWorker) deletePod() {
	w.mu.Lock()
	pod := w.pod
	w.mu.Unlock()
	err := w.a.client.CoreV1().Pods(pod.Namespace).Delete(w.a.ctx, pod.Name, metav1.DeleteOptions{
		GracePeriodSeconds: ptr.To[int64](0),
		Preconditions:      metav1.NewUIDPreconditions(string(pod.UID)),
	})
	if err != nil && !apierrors.IsNotFound(err) && !errors.Is(err, context.Canceled) {
		w.log.Error("delete pod", "err", fmt.Errorf("delete pod %s/%s: %w", pod.Namespace, pod.Name, err))
		return
	}
	w.log.Info("pod deleted")
}

// sleepCtx waits d, or returns false when ctx ends first.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}
