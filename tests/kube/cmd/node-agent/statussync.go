package main

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// A failed status update is retried this often.
const statusRetry = 5 * time.Second

// changed asks the status loop to post the pod's status.
func (w *podWorker) changed() {
	select {
	case w.dirty <- struct{}{}:
	default:
	}
}

func (w *podWorker) statusLoop(done <-chan struct{}) {
	ticker := time.NewTicker(statusRetry)
	defer ticker.Stop()
	for {
		select {
		case <-done:
			return
		case <-w.dirty:
		case <-ticker.C:
		}
		if err := w.syncStatus(); err != nil && !apierrors.IsNotFound(err) {
			w.log.Error("status update failed, will retry", "err", err)
		}
	}
}

// syncStatus posts the pod's status through the status subresource when it
// differs from what the API server holds.
func (w *podWorker) syncStatus() error {
	w.postMu.Lock()
	defer w.postMu.Unlock()
	w.mu.Lock()
	if w.alreadyTerminal || w.quiet {
		w.mu.Unlock()
		return nil
	}
	status := w.generateStatus()
	pod := w.pod.DeepCopy()
	posted := w.posted
	w.mu.Unlock()
	if posted != nil && apiequality.Semantic.DeepEqual(*posted, status) {
		return nil
	}
	if apiequality.Semantic.DeepEqual(pod.Status, status) {
		w.remember(status)
		return nil
	}
	pod.Status = status
	_, err := w.a.client.CoreV1().Pods(pod.Namespace).UpdateStatus(w.a.ctx, pod, metav1.UpdateOptions{})
	if apierrors.IsConflict(err) {
		// The informer's copy is stale; the next attempt uses a fresh one.
		fresh, getErr := w.a.client.CoreV1().Pods(pod.Namespace).Get(w.a.ctx, pod.Name, metav1.GetOptions{})
		if getErr != nil {
			return fmt.Errorf("get pod after conflict: %w", getErr)
		}
		if fresh.UID != w.uid {
			return nil
		}
		w.mu.Lock()
		w.pod = fresh
		status = w.generateStatus()
		w.mu.Unlock()
		fresh.Status = status
		_, err = w.a.client.CoreV1().Pods(pod.Namespace).UpdateStatus(w.a.ctx, fresh, metav1.UpdateOptions{})
	}
	if err != nil {
		return fmt.Errorf("update status of pod %s/%s: %w", pod.Namespace, pod.Name, err)
	}
	w.remember(status)
	return nil
}

func (w *podWorker) remember(status corev1.PodStatus) {
	w.mu.Lock()
	w.posted = &status
	w.mu.Unlock()
}
