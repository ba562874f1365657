package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

const containerIDScheme = "schemagate://"

// instance is one run of a container: one process tree in its own namespaces.
type instance struct {
	id        string
	cmd       *exec.Cmd
	spec      runSpec
	startedAt time.Time
	// startError is set when the command could not be executed.
	startError string
	exited     chan struct{}
	exitCode   int32
	logPath    string
	logOffset  int64
	termPath   string
}

// signal reaches the container's init process; SIGKILL on it ends the whole
// PID namespace, as it ends a container's cgroup.
func (inst *instance) signal(sig syscall.Signal) {
	// An instance that already exited needs no signal.
	_ = inst.cmd.Process.Signal(sig)
}

// startContainer creates and starts the next instance of c. A returned
// *waitingError means nothing was started.
func (w *podWorker) startContainer(ctx context.Context, c *container) (*instance, error) {
	w.mu.Lock()
	pod := w.pod
	w.mu.Unlock()
	img, err := w.pullImage(c)
	if err != nil {
		return nil, err
	}
	env, err := w.containerEnv(ctx, pod, &c.spec)
	if err != nil {
		return nil, &waitingError{reason: "CreateContainerConfigError", message: err.Error(), retryAfter: w.a.cfg.backoffBase}
	}
	creds, err := credentials(pod, &c.spec)
	if err != nil {
		return nil, &waitingError{reason: "CreateContainerConfigError", message: err.Error(), retryAfter: w.a.cfg.backoffBase}
	}
	argv := expandCommand(&c.spec, img.entrypoint, env)
	if len(argv) == 0 {
		return nil, &waitingError{reason: "CreateContainerError", message: "no command specified: the image has no entrypoint, so the container needs command", retryAfter: w.a.cfg.backoffBase}
	}
	containerDir := filepath.Join(w.dir, "containers", c.spec.Name)
	root := filepath.Join(containerDir, "rootfs")
	if err := copyRootfs(img.rootfs, root); err != nil {
		return nil, &waitingError{reason: "CreateContainerError", message: err.Error(), retryAfter: w.a.cfg.backoffBase}
	}
	id, err := newContainerID()
	if err != nil {
		return nil, err
	}
	termPath := filepath.Join(containerDir, "termination-log-"+id)
	if err := createWritable(termPath); err != nil {
		return nil, &waitingError{reason: "CreateContainerError", message: err.Error(), retryAfter: w.a.cfg.backoffBase}
	}
	mounts, err := w.containerMounts(pod, &c.spec, termPath)
	if err != nil {
		return nil, &waitingError{reason: "CreateContainerConfigError", message: err.Error(), retryAfter: w.a.cfg.backoffBase}
	}
	hostname := pod.Name
	if pod.Spec.Hostname != "" {
		hostname = pod.Spec.Hostname
	}
	spec := runSpec{
		Root: root, Hostname: hostname, Mounts: mounts, Creds: creds,
		WorkingDir: c.spec.WorkingDir, Argv: argv, Env: env,
	}
	logPath := filepath.Join(w.a.cfg.stateDir, "logs", fmt.Sprintf("%s_%s_%s.log", pod.Namespace, pod.Name, c.spec.Name))
	inst, err := spawn(spec, filepath.Join(containerDir, "spec-"+id+".json"), logPath)
	if err != nil {
		return nil, &waitingError{reason: "RunContainerError", message: err.Error(), retryAfter: w.a.cfg.backoffBase}
	}
	inst.id = containerIDScheme + id
	inst.termPath = termPath
	w.mu.Lock()
	c.imageID = img.id
	c.id = inst.id
	c.instances++
	w.mu.Unlock()
	return inst, nil
}

// pullImage looks the image up; a miss is reported as kubelet reports a
// failed pull, ErrImagePull, then ImagePullBackOff until the next attempt.
func (w *podWorker) pullImage(c *container) (image, error) {
	img, err := w.a.images.lookup(c.spec.Image)
	if err == nil {
		return img, nil
	}
	var missing errImageNotFound
	if !errors.As(err, &missing) {
		return image{}, &waitingError{reason: "ErrImagePull", message: err.Error(), retryAfter: w.a.cfg.backoffBase}
	}
	key := string(w.uid) + "/" + c.spec.Image
	w.setWaiting(c, "ErrImagePull", err.Error())
	if postErr := w.syncStatus(); postErr != nil {
		w.log.Error("status update failed", "err", postErr)
	}
	w.a.imageBackoff.Next(key, time.Now())
	return image{}, &waitingError{
		reason:     "ImagePullBackOff",
		message:    fmt.Sprintf("Back-off pulling image %q: %v", c.spec.Image, err),
		retryAfter: w.a.imageBackoff.Get(key),
	}
}

func newContainerID() (string, error) {
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("container id: %w", err)
	}
	return hex.EncodeToString(buf), nil
}

// copyRootfs gives each container its own writable copy of the image, kept
// across the container's restarts as a runtime keeps its writable layer.
func copyRootfs(src, dst string) error {
	if _, err := os.Stat(dst); err == nil {
		return nil
	}
	partial := dst + ".partial"
	if err := os.RemoveAll(partial); err != nil {
		return fmt.Errorf("remove partial root copy: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("create container directory: %w", err)
	}
	if out, err := exec.Command("cp", "-a", src, partial).CombinedOutput(); err != nil {
		return fmt.Errorf("copy root file system %s: %w: %s", src, err, out)
	}
	if err := os.Rename(partial, dst); err != nil {
		return fmt.Errorf("install root copy: %w", err)
	}
	return nil
}

// createWritable makes a file any container user can write, such as the
// termination message file.
func createWritable(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create directory for %s: %w", path, err)
	}
	if err := os.WriteFile(path, nil, 0o666); err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o666); err != nil {
		return fmt.Errorf("chmod %s: %w", path, err)
	}
	return nil
}

// spawn starts `node-agent run-container SPEC` in new mount, UTS and PID
// namespaces and waits until it has exec'd the command or failed to.
func spawn(spec runSpec, specPath, logPath string) (*instance, error) {
	data, err := json.Marshal(spec)
	if err != nil {
		return nil, fmt.Errorf("encode container spec: %w", err)
	}
	if err := os.WriteFile(specPath, data, 0o600); err != nil {
		return nil, fmt.Errorf("write container spec: %w", err)
	}
	logFile, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open container log: %w", err)
	}
	defer logFile.Close()
	offset, err := logFile.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, fmt.Errorf("seek container log: %w", err)
	}
	inst, err := startRunner(specPath, logFile, logFile)
	if err != nil {
		return nil, err
	}
	inst.spec = spec
	inst.logPath = logPath
	inst.logOffset = offset
	return inst, nil
}

// startRunner starts the runner with the given output and reports whether
// the exec succeeded: the runner writes its error to a close-on-exec pipe.
// Nil output goes to /dev/null.
func startRunner(specPath string, stdout, stderr *os.File) (*instance, error) {
	reportRead, reportWrite, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("start-error pipe: %w", err)
	}
	defer reportRead.Close()
	cmd := exec.Command("/proc/self/exe", runContainerCommand, specPath)
	cmd.Env = []string{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.ExtraFiles = []*os.File{reportWrite}
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags: syscall.CLONE_NEWNS | syscall.CLONE_NEWUTS | syscall.CLONE_NEWPID,
		Setpgid:    true,
		// Containers must not outlive an agent that is killed outright.
		Pdeathsig: syscall.SIGKILL,
	}
	err = cmd.Start()
	reportWrite.Close()
	if err != nil {
		return nil, fmt.Errorf("start container runner: %w", err)
	}
	inst := &instance{cmd: cmd, startedAt: time.Now(), exited: make(chan struct{})}
	report, readErr := io.ReadAll(reportRead)
	if readErr != nil {
		report = []byte(readErr.Error())
	}
	inst.startError = string(report)
	go func() {
		err := cmd.Wait()
		inst.exitCode = exitCode(cmd, err)
		close(inst.exited)
	}()
	if inst.startError != "" {
		<-inst.exited
	}
	return inst, nil
}

// exitCode follows container runtimes: 128+n for a process killed by signal n.
func exitCode(cmd *exec.Cmd, err error) int32 {
	if cmd.ProcessState == nil {
		return 128
	}
	if status, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && status.Signaled() {
		return 128 + int32(status.Signal())
	}
	if err != nil && cmd.ProcessState.ExitCode() < 0 {
		return 128
	}
	return int32(cmd.ProcessState.ExitCode())
}

// execInContainer runs argv beside a running instance: same root copy,
// volumes, user and environment, in namespaces of its own. It returns the
// command's exit code and output.
func (w *podWorker) execInContainer(ctx context.Context, inst *instance, argv []string) (int32, error) {
	spec := inst.spec
	spec.Argv = argv
	id, err := newContainerID()
	if err != nil {
		return 0, err
	}
	specPath := filepath.Join(filepath.Dir(spec.Root), "exec-"+id+".json")
	data, err := json.Marshal(spec)
	if err != nil {
		return 0, fmt.Errorf("encode exec spec: %w", err)
	}
	if err := os.WriteFile(specPath, data, 0o600); err != nil {
		return 0, fmt.Errorf("write exec spec: %w", err)
	}
	defer os.Remove(specPath)
	run, err := startRunner(specPath, nil, nil)
	if err != nil {
		return 0, err
	}
	if run.startError != "" {
		return 0, fmt.Errorf("exec %q: %s", argv, run.startError)
	}
	select {
	case <-run.exited:
		return run.exitCode, nil
	case <-ctx.Done():
		run.signal(syscall.SIGKILL)
		<-run.exited
		return 0, fmt.Errorf("exec %q: %w", argv, ctx.Err())
	}
}
