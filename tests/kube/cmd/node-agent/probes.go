package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// probe runs the instance's startup probe, then its readiness and liveness
// probes, until ctx ends (the instance exited or the pod is stopping).
func (w *podWorker) probe(ctx context.Context, c *container, inst *instance) {
	if p := c.spec.StartupProbe; p != nil {
		if !w.probeLoop(ctx, c, inst, p, func(ok bool) bool { return !ok }) {
			return
		}
		w.mu.Lock()
		c.started = true
		c.ready = c.spec.ReadinessProbe == nil
		w.mu.Unlock()
		w.changed()
	}
	if p := c.spec.ReadinessProbe; p != nil {
		go w.probeLoop(ctx, c, inst, p, func(ready bool) bool {
			w.mu.Lock()
			changed := c.ready != ready && c.current == inst
			if changed {
				c.ready = ready
			}
			w.mu.Unlock()
			if changed {
				w.changed()
			}
			return true
		})
	}
	if p := c.spec.LivenessProbe; p != nil {
		w.probeLoop(ctx, c, inst, p, func(alive bool) bool { return alive })
	}
}

// probeLoop runs p every period and calls result with each change of the
// thresholded outcome; it stops when result returns false. A startup or
// liveness probe that reaches its failure threshold kills the instance.
// It returns true when stopped by result rather than by a failure or ctx.
func (w *podWorker) probeLoop(ctx context.Context, c *container, inst *instance, p *corev1.Probe, result func(bool) bool) bool {
	if !sleepCtx(ctx, time.Duration(p.InitialDelaySeconds)*time.Second) {
		return false
	}
	period := time.Duration(max(p.PeriodSeconds, 1)) * time.Second
	successThreshold, failureThreshold := max(p.SuccessThreshold, 1), max(p.FailureThreshold, 1)
	killsOnFailure := p == c.spec.StartupProbe || p == c.spec.LivenessProbe
	var successes, failures int32
	ticker := time.NewTicker(period)
	defer ticker.Stop()
	for {
		err := w.runProbe(ctx, c, inst, p)
		if ctx.Err() != nil {
			return false
		}
		if err == nil {
			successes, failures = successes+1, 0
			if successes >= successThreshold && !result(true) {
				return true
			}
		} else {
			successes, failures = 0, failures+1
			w.log.Info("probe failed", "container", c.spec.Name, "err", err)
			if failures >= failureThreshold {
				if killsOnFailure {
					w.log.Info("container failed its probe, will be killed", "container", c.spec.Name)
					w.kill(c, inst, w.probeGrace(p))
					return false
				}
				result(false)
			}
		}
		select {
		case <-ctx.Done():
			return false
		case <-ticker.C:
		}
	}
}

func (w *podWorker) probeGrace(p *corev1.Probe) time.Duration {
	if p.TerminationGracePeriodSeconds != nil {
		return time.Duration(*p.TerminationGracePeriodSeconds) * time.Second
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return podGrace(w.pod)
}

// runProbe returns nil when the probe succeeds.
func (w *podWorker) runProbe(ctx context.Context, c *container, inst *instance, p *corev1.Probe) error {
	timeout := time.Duration(max(p.TimeoutSeconds, 1)) * time.Second
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	switch {
	case p.Exec != nil:
		code, err := w.execInContainer(ctx, inst, p.Exec.Command)
		if err != nil {
			return err
		}
		if code != 0 {
			return fmt.Errorf("command %q exited with %d", p.Exec.Command, code)
		}
		return nil
	case p.HTTPGet != nil:
		return httpProbe(ctx, &c.spec, p.HTTPGet)
	case p.TCPSocket != nil:
		port, err := resolvePort(&c.spec, p.TCPSocket.Port)
		if err != nil {
			return err
		}
		host := p.TCPSocket.Host
		if host == "" {
			host = podIP
		}
		var dialer net.Dialer
		conn, err := dialer.DialContext(ctx, "tcp", net.JoinHostPort(host, strconv.Itoa(port)))
		if err != nil {
			return fmt.Errorf("tcp probe: %w", err)
		}
		return conn.Close()
	}
	return fmt.Errorf("probe handler is not supported by the node agent")
}

// httpProbe succeeds on a status from 200 to 399, as kubelet's does.
func httpProbe(ctx context.Context, c *corev1.Container, get *corev1.HTTPGetAction) error {
	port, err := resolvePort(c, get.Port)
	if err != nil {
		return err
	}
	host := get.Host
	if host == "" {
		host = podIP
	}
	scheme := "http"
	if get.Scheme == corev1.URISchemeHTTPS {
		scheme = "https"
	}
	url := fmt.Sprintf("%s://%s%s", scheme, net.JoinHostPort(host, strconv.Itoa(port)), get.Path)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("http probe request: %w", err)
	}
	req.Header.Set("User-Agent", "kube-probe/1.35")
	for _, h := range get.HTTPHeaders {
		req.Header.Set(h.Name, h.Value)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("http probe: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode >= 400 {
		return fmt.Errorf("http probe %s: status %d", url, resp.StatusCode)
	}
	return nil
}

func resolvePort(c *corev1.Container, port intstr.IntOrString) (int, error) {
	if port.Type == intstr.Int {
		return port.IntValue(), nil
	}
	for _, p := range c.Ports {
		if p.Name == port.StrVal {
			return int(p.ContainerPort), nil
		}
	}
	return 0, fmt.Errorf("port %q is not a named port of container %s", port.StrVal, c.Name)
}
