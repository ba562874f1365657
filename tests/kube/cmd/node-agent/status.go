package main

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// Pods share the host network.
const podIP = "127.0.0.1"

// kubeletConditions are the pod conditions kubelet owns; others, such as the
// scheduler's PodScheduled, are kept as they are.
var kubeletConditions = []corev1.PodConditionType{
	corev1.PodReadyToStartContainers, corev1.PodInitialized, corev1.ContainersReady, corev1.PodReady,
}

// generateStatus is kubelet's generateAPIPodStatus for this agent's state.
// The caller holds w.mu.
func (w *podWorker) generateStatus() corev1.PodStatus {
	pod := w.pod
	old := pod.Status
	status := *old.DeepCopy()
	status.ObservedGeneration = pod.Generation
	status.HostIP, status.PodIP = podIP, podIP
	status.HostIPs = []corev1.HostIP{{IP: podIP}}
	status.PodIPs = []corev1.PodIP{{IP: podIP}}
	if w.startTime != nil {
		status.StartTime = ptr.To(w.startTime.Rfc3339Copy())
	}
	defaultReason := "ContainerCreating"
	if len(pod.Spec.InitContainers) > 0 {
		defaultReason = "PodInitializing"
	}
	status.InitContainerStatuses = w.containerStatuses(w.init, "PodInitializing")
	status.ContainerStatuses = w.containerStatuses(w.regular, defaultReason)
	trimMessages(pod, status.InitContainerStatuses)
	trimMessages(pod, status.ContainerStatuses)

	status.Phase = w.phase(status)
	status.Reason, status.Message = "", ""
	if w.failReason != "" {
		status.Phase, status.Reason, status.Message = corev1.PodFailed, w.failReason, w.failMessage
	}
	// A pod never leaves a terminal phase.
	if posted := w.posted; posted != nil && isTerminal(posted.Phase) {
		status.Phase, status.Reason, status.Message = posted.Phase, posted.Reason, posted.Message
	}

	var conditions []corev1.PodCondition
	for _, c := range old.Conditions {
		if !isKubeletCondition(c.Type) {
			conditions = append(conditions, c)
		}
	}
	ready := w.containersReady(status)
	podReady := ready
	podReady.Type = corev1.PodReady
	for _, c := range []corev1.PodCondition{w.sandboxCondition(), w.initializedCondition(status), ready, podReady} {
		c.ObservedGeneration = pod.Generation
		conditions = append(conditions, keepTransition(old.Conditions, w.posted, c))
	}
	status.Conditions = conditions
	return status
}

func isTerminal(phase corev1.PodPhase) bool {
	return phase == corev1.PodSucceeded || phase == corev1.PodFailed
}

func isKubeletCondition(kind corev1.PodConditionType) bool {
	for _, k := range kubeletConditions {
		if k == kind {
			return true
		}
	}
	return false
}

// keepTransition keeps lastTransitionTime while a condition's status holds.
func keepTransition(current []corev1.PodCondition, posted *corev1.PodStatus, c corev1.PodCondition) corev1.PodCondition {
	previous := current
	if posted != nil {
		previous = posted.Conditions
	}
	c.LastTransitionTime = metav1.Now().Rfc3339Copy()
	for _, p := range previous {
		if p.Type == c.Type && p.Status == c.Status {
			c.LastTransitionTime = p.LastTransitionTime
		}
	}
	return c
}

func (w *podWorker) containerStatuses(containers []*container, defaultReason string) []corev1.ContainerStatus {
	statuses := make([]corev1.ContainerStatus, 0, len(containers))
	for _, c := range containers {
		s := corev1.ContainerStatus{
			Name:         c.spec.Name,
			Image:        c.spec.Image,
			ImageID:      c.imageID,
			ContainerID:  c.id,
			RestartCount: max(c.instances-1, 0),
			Started:      ptr.To(c.started),
			Ready:        c.ready,
		}
		switch {
		case c.running != nil:
			s.State.Running = &corev1.ContainerStateRunning{StartedAt: c.running.StartedAt.Rfc3339Copy()}
		case c.terminated != nil:
			s.State.Terminated = normalized(c.terminated)
		case c.waiting != nil:
			s.State.Waiting = c.waiting.DeepCopy()
		default:
			s.State.Waiting = &corev1.ContainerStateWaiting{Reason: defaultReason}
		}
		if c.last != nil {
			s.LastTerminationState.Terminated = normalized(c.last)
		}
		statuses = append(statuses, s)
	}
	return statuses
}

// normalized drops sub-second precision, which the API does not keep, so
// that generated statuses compare equal to posted ones.
func normalized(t *corev1.ContainerStateTerminated) *corev1.ContainerStateTerminated {
	out := t.DeepCopy()
	out.StartedAt = out.StartedAt.Rfc3339Copy()
	out.FinishedAt = out.FinishedAt.Rfc3339Copy()
	return out
}

// phase is kubelet's getPhase without sidecar containers.
func (w *podWorker) phase(status corev1.PodStatus) corev1.PodPhase {
	spec := w.pod.Spec
	pendingInit, failedInit := 0, 0
	for _, s := range status.InitContainerStatuses {
		switch {
		case s.State.Running != nil:
			pendingInit++
		case s.State.Terminated != nil:
			if s.State.Terminated.ExitCode != 0 {
				failedInit++
			}
		case s.State.Waiting != nil && s.LastTerminationState.Terminated != nil:
			if s.LastTerminationState.Terminated.ExitCode != 0 {
				failedInit++
			}
		default:
			pendingInit++
		}
	}
	running, waiting, stopped, succeeded := 0, 0, 0, 0
	for _, s := range status.ContainerStatuses {
		switch {
		case s.State.Running != nil:
			running++
		case s.State.Terminated != nil:
			stopped++
			if s.State.Terminated.ExitCode == 0 {
				succeeded++
			}
		case s.LastTerminationState.Terminated != nil:
			stopped++
		default:
			waiting++
		}
	}
	var phase corev1.PodPhase
	switch {
	case failedInit > 0 && spec.RestartPolicy == corev1.RestartPolicyNever:
		phase = corev1.PodFailed
	case pendingInit > 0 && !w.initialized:
		phase = corev1.PodPending
	case waiting > 0:
		phase = corev1.PodPending
	case running > 0:
		phase = corev1.PodRunning
	case stopped == len(spec.Containers):
		switch {
		case spec.RestartPolicy == corev1.RestartPolicyAlways && !w.terminal:
			phase = corev1.PodRunning
		case stopped == succeeded:
			phase = corev1.PodSucceeded
		case spec.RestartPolicy == corev1.RestartPolicyNever || w.terminal:
			phase = corev1.PodFailed
		default:
			phase = corev1.PodRunning
		}
	default:
		phase = corev1.PodPending
	}
	// kubelet fails a pod that stopped before all its containers ended.
	if w.terminal && !isTerminal(phase) {
		phase = corev1.PodFailed
	}
	return phase
}

func (w *podWorker) sandboxCondition() corev1.PodCondition {
	c := corev1.PodCondition{Type: corev1.PodReadyToStartContainers, Status: corev1.ConditionFalse}
	if w.sandboxReady && !w.terminal {
		c.Status = corev1.ConditionTrue
	}
	return c
}

func (w *podWorker) initializedCondition(status corev1.PodStatus) corev1.PodCondition {
	c := corev1.PodCondition{Type: corev1.PodInitialized, Status: corev1.ConditionTrue}
	if status.Phase == corev1.PodSucceeded {
		c.Reason = "PodCompleted"
		return c
	}
	if w.initialized {
		return c
	}
	var incomplete []string
	for _, s := range status.InitContainerStatuses {
		if s.State.Terminated == nil || s.State.Terminated.ExitCode != 0 {
			incomplete = append(incomplete, s.Name)
		}
	}
	if len(incomplete) > 0 {
		c.Status = corev1.ConditionFalse
		c.Reason = "ContainersNotInitialized"
		c.Message = fmt.Sprintf("containers with incomplete status: [%s]", strings.Join(incomplete, " "))
	}
	return c
}

// containersReady is kubelet's GenerateContainersReadyCondition; the Ready
// condition copies it, readiness gates being left out.
func (w *podWorker) containersReady(status corev1.PodStatus) corev1.PodCondition {
	c := corev1.PodCondition{Type: corev1.ContainersReady, Status: corev1.ConditionFalse}
	switch status.Phase {
	case corev1.PodSucceeded:
		c.Reason = "PodCompleted"
		return c
	case corev1.PodFailed:
		c.Reason = "PodFailed"
		return c
	}
	var unready []string
	for _, s := range status.ContainerStatuses {
		if !s.Ready {
			unready = append(unready, s.Name)
		}
	}
	if len(unready) > 0 {
		c.Reason = "ContainersNotReady"
		c.Message = fmt.Sprintf("containers with unready status: [%s]", strings.Join(unready, " "))
		return c
	}
	c.Status = corev1.ConditionTrue
	return c
}
