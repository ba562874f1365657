package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// runContainerCommand is the hidden subcommand the agent re-executes itself
// with to become a container.
const runContainerCommand = "run-container"

// runSpec is everything the runner needs, written to a file by the agent.
type runSpec struct {
	Root       string
	Hostname   string
	Mounts     []mountSpec
	Creds      creds
	WorkingDir string
	Argv       []string
	Env        []string
}

type mountSpec struct {
	Source   string
	Target   string
	ReadOnly bool
}

type creds struct {
	UID    uint32
	GID    uint32
	Groups []uint32
}

// devices are bound from the host into the container's private /dev.
var devices = []string{"null", "zero", "full", "random", "urandom", "tty"}

// runContainer runs in fresh mount, UTS and PID namespaces (the agent cloned
// it so). It builds the container's view of the file system, drops to the
// container's user and execs the command. Any failure before the exec is
// written to fd 3 for the agent, which reports it as kubelet reports a
// runtime's StartError.
func runContainer(args []string) int {
	report := os.NewFile(3, "start-error")
	syscall.CloseOnExec(3)
	fail := func(err error) int {
		fmt.Fprintf(report, "failed to start container process: %v", err)
		return 128
	}
	if len(args) != 1 {
		return fail(errors.New("usage: node-agent run-container SPECFILE"))
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		return fail(fmt.Errorf("read spec: %w", err))
	}
	var spec runSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		return fail(fmt.Errorf("decode spec: %w", err))
	}
	if err := enterContainer(&spec); err != nil {
		return fail(err)
	}
	path, err := lookPath(spec.Argv[0], spec.Env)
	if err != nil {
		return fail(err)
	}
	err = syscall.Exec(path, spec.Argv, spec.Env)
	return fail(fmt.Errorf("exec: %q: %w", spec.Argv[0], err))
}

func enterContainer(spec *runSpec) error {
	// Nothing mounted from here on may leak back to the host.
	if err := syscall.Mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("make mounts private: %w", err)
	}
	if err := syscall.Sethostname([]byte(spec.Hostname)); err != nil {
		return fmt.Errorf("set hostname: %w", err)
	}
	if err := mountProc(spec.Root); err != nil {
		return err
	}
	if err := mountDev(spec.Root); err != nil {
		return err
	}
	for _, m := range spec.Mounts {
		if err := bindMount(spec.Root, m); err != nil {
			return err
		}
	}
	workingDir := spec.WorkingDir
	if workingDir == "" {
		workingDir = "/"
	}
	if err := os.MkdirAll(filepath.Join(spec.Root, workingDir), 0o755); err != nil {
		return fmt.Errorf("create working directory: %w", err)
	}
	if err := syscall.Chroot(spec.Root); err != nil {
		return fmt.Errorf("chroot %s: %w", spec.Root, err)
	}
	if err := syscall.Chdir(workingDir); err != nil {
		return fmt.Errorf("chdir %s: %w", workingDir, err)
	}
	groups := make([]int, len(spec.Creds.Groups))
	for i, g := range spec.Creds.Groups {
		groups[i] = int(g)
	}
	if err := syscall.Setgroups(groups); err != nil {
		return fmt.Errorf("setgroups: %w", err)
	}
	if err := syscall.Setgid(int(spec.Creds.GID)); err != nil {
		return fmt.Errorf("setgid %d: %w", spec.Creds.GID, err)
	}
	if err := syscall.Setuid(int(spec.Creds.UID)); err != nil {
		return fmt.Errorf("setuid %d: %w", spec.Creds.UID, err)
	}
	// Changing credentials clears the parent-death signal the agent asked for.
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_PDEATHSIG, uintptr(syscall.SIGKILL), 0); errno != 0 {
		return fmt.Errorf("set parent-death signal: %w", errno)
	}
	return nil
}

func mountProc(root string) error {
	target := filepath.Join(root, "proc")
	if err := os.MkdirAll(target, 0o555); err != nil {
		return fmt.Errorf("create /proc: %w", err)
	}
	if err := syscall.Mount("proc", target, "proc", syscall.MS_NOSUID|syscall.MS_NODEV|syscall.MS_NOEXEC, ""); err != nil {
		return fmt.Errorf("mount /proc: %w", err)
	}
	return nil
}

// mountDev gives the container a small /dev of its own, so that files made
// in it, such as the termination log, never touch the host's.
func mountDev(root string) error {
	dev := filepath.Join(root, "dev")
	if err := os.MkdirAll(dev, 0o755); err != nil {
		return fmt.Errorf("create /dev: %w", err)
	}
	if err := syscall.Mount("tmpfs", dev, "tmpfs", syscall.MS_NOSUID, "mode=755"); err != nil {
		return fmt.Errorf("mount /dev: %w", err)
	}
	for _, name := range devices {
		if _, err := os.Stat("/dev/" + name); err != nil {
			continue
		}
		if err := bindMount(root, mountSpec{Source: "/dev/" + name, Target: "/dev/" + name}); err != nil {
			return err
		}
	}
	shm := filepath.Join(dev, "shm")
	if err := os.Mkdir(shm, 0o1777); err != nil {
		return fmt.Errorf("create /dev/shm: %w", err)
	}
	if err := syscall.Mount("shm", shm, "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV, "mode=1777"); err != nil {
		return fmt.Errorf("mount /dev/shm: %w", err)
	}
	links := map[string]string{"fd": "/proc/self/fd", "stdin": "/proc/self/fd/0", "stdout": "/proc/self/fd/1", "stderr": "/proc/self/fd/2"}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dev, name)); err != nil {
			return fmt.Errorf("create /dev/%s: %w", name, err)
		}
	}
	return nil
}

// bindMount mounts a host file or directory at a path inside root,
// creating the mount point like a runtime does.
func bindMount(root string, m mountSpec) error {
	info, err := os.Stat(m.Source)
	if err != nil {
		return fmt.Errorf("mount source: %w", err)
	}
	target := filepath.Join(root, m.Target)
	if info.IsDir() {
		err = os.MkdirAll(target, 0o755)
	} else {
		err = createMountFile(target)
	}
	if err != nil {
		return fmt.Errorf("create mount point %s: %w", m.Target, err)
	}
	if err := syscall.Mount(m.Source, target, "", syscall.MS_BIND|syscall.MS_REC, ""); err != nil {
		return fmt.Errorf("bind %s at %s: %w", m.Source, m.Target, err)
	}
	if m.ReadOnly {
		if err := syscall.Mount("", target, "", syscall.MS_BIND|syscall.MS_REMOUNT|syscall.MS_RDONLY|syscall.MS_REC, ""); err != nil {
			return fmt.Errorf("make %s read-only: %w", m.Target, err)
		}
	}
	return nil
}

func createMountFile(target string) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	return f.Close()
}

// lookPath resolves a command in the container's PATH, after the chroot.
func lookPath(name string, env []string) (string, error) {
	if strings.Contains(name, "/") {
		return name, nil
	}
	path := defaultPath
	for _, kv := range env {
		if value, ok := strings.CutPrefix(kv, "PATH="); ok {
			path = value
		}
	}
	for dir := range strings.SplitSeq(path, ":") {
		candidate := filepath.Join(dir, name)
		if info, err := os.Stat(candidate); err == nil && !info.IsDir() && info.Mode()&0o111 != 0 {
			return candidate, nil
		}
	}
	return "", fmt.Errorf("exec: %q: executable file not found in $PATH", name)
}
