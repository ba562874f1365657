package main

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"
)

func TestExpandCommandFollowsKubelet(t *testing.T) {
	c := &corev1.Container{Command: []string{"sh", "-c"}, Args: []string{"echo $(GREETING) $(MISSING) $$(GREETING)"}}
	got := expandCommand(c, []string{"/entrypoint"}, []string{"GREETING=hello"})
	want := []string{"sh", "-c", "echo hello $(MISSING) $(GREETING)"}
	if !slices.Equal(got, want) {
		t.Fatalf("argv = %q, want %q", got, want)
	}
}

func TestArgsAloneFollowTheImageEntrypoint(t *testing.T) {
	c := &corev1.Container{Args: []string{"upgrade", "$(TARGET)"}}
	got := expandCommand(c, []string{"/schemagate"}, []string{"TARGET=heads"})
	if want := []string{"/schemagate", "upgrade", "heads"}; !slices.Equal(got, want) {
		t.Fatalf("argv = %q, want %q", got, want)
	}
}

func TestLogTailKeepsTheLastLinesOfThisInstance(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log")
	earlier := "previous instance\n"
	var lines []string
	for i := range 100 {
		lines = append(lines, "line "+strconv.Itoa(i))
	}
	if err := os.WriteFile(path, []byte(earlier+strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := logTail(path, int64(len(earlier)))
	if want := strings.Join(lines[20:], "\n"); got != want {
		t.Fatalf("tail = %q, want %q", got, want)
	}
}

func TestContainerSecurityContextWins(t *testing.T) {
	pod := &corev1.Pod{Spec: corev1.PodSpec{SecurityContext: &corev1.PodSecurityContext{
		RunAsUser: ptr.To[int64](1000), RunAsGroup: ptr.To[int64](1000), FSGroup: ptr.To[int64](2000),
	}}}
	c := &corev1.Container{SecurityContext: &corev1.SecurityContext{RunAsUser: ptr.To[int64](70)}}
	got, err := credentials(pod, c)
	if err != nil {
		t.Fatal(err)
	}
	if got.UID != 70 || got.GID != 1000 || !slices.Equal(got.Groups, []uint32{2000}) {
		t.Fatalf("credentials = %+v", got)
	}
	c.SecurityContext = &corev1.SecurityContext{RunAsUser: ptr.To[int64](0), RunAsNonRoot: ptr.To(true)}
	if _, err := credentials(pod, c); err == nil {
		t.Fatal("runAsNonRoot with uid 0 was accepted")
	}
}
