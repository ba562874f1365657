package main

import (
	"bytes"
	"io"
	"os"

	corev1 "k8s.io/api/core/v1"
)

// kubelet's limits on what a container may report when it terminates.
const (
	maxTerminationMessage    = 4 * 1024
	maxPodTerminationMessage = 12 * 1024
	fallbackLogLines         = 80
	fallbackLogBytes         = 2048
)

// terminationMessage reads what the instance wrote at terminationMessagePath
// or, with FallbackToLogsOnError, the tail of its log when it failed
// without writing one.
func terminationMessage(c *corev1.Container, inst *instance) string {
	message := readAtMost(inst.termPath, maxTerminationMessage)
	if message != "" || c.TerminationMessagePolicy != corev1.TerminationMessageFallbackToLogsOnError || inst.exitCode == 0 {
		return message
	}
	return logTail(inst.logPath, inst.logOffset)
}

// readAtMost ignores a missing file: the message is optional.
func readAtMost(path string, limit int64) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit))
	if err != nil {
		return ""
	}
	return string(data)
}

// logTail is the last lines this instance logged, within kubelet's limits.
func logTail(path string, offset int64) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return ""
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return ""
	}
	data = bytes.TrimSuffix(data, []byte("\n"))
	lines := bytes.Split(data, []byte("\n"))
	if len(lines) > fallbackLogLines {
		lines = lines[len(lines)-fallbackLogLines:]
	}
	tail := bytes.Join(lines, []byte("\n"))
	if len(tail) > fallbackLogBytes {
		tail = tail[len(tail)-fallbackLogBytes:]
	}
	return string(tail)
}

// trimMessages applies the status manager's rule: the pod's 12 KiB of
// messages are shared equally by its containers.
func trimMessages(pod *corev1.Pod, statuses []corev1.ContainerStatus) {
	budget := maxPodTerminationMessage
	if n := len(pod.Spec.Containers) + len(pod.Spec.InitContainers); n > 0 {
		budget /= n
	}
	for i := range statuses {
		for _, state := range []*corev1.ContainerState{&statuses[i].State, &statuses[i].LastTerminationState} {
			if state.Terminated != nil && len(state.Terminated.Message) > budget {
				state.Terminated.Message = state.Terminated.Message[:budget]
			}
		}
	}
}
