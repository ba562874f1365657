package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/kubernetes/third_party/forked/golang/expansion"
)

// The images carry no configuration, so every container gets the PATH a
// runtime gives an image without one.
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// containerEnv builds the environment as kubelet's makeEnvironmentVariables
// does: the kubernetes service's variables, then envFrom, then env, each
// value expanded against what precedes it.
func (w *podWorker) containerEnv(ctx context.Context, pod *corev1.Pod, c *corev1.Container) ([]string, error) {
	serviceEnv := w.serviceEnv()
	env := map[string]string{}
	var order []string
	set := func(name, value string) {
		if _, seen := env[name]; !seen {
			order = append(order, name)
		}
		env[name] = value
	}
	for _, from := range c.EnvFrom {
		values, err := w.envFromSource(ctx, pod.Namespace, from)
		if err != nil {
			return nil, err
		}
		for _, key := range slices.Sorted(maps.Keys(values)) {
			name := from.Prefix + key
			if len(validation.IsEnvVarName(name)) == 0 {
				set(name, values[key])
			}
		}
	}
	mapping := expansion.MappingFuncFor(env, serviceEnv)
	for _, v := range c.Env {
		value := v.Value
		switch {
		case v.ValueFrom != nil:
			resolved, ok, err := w.envValueFrom(ctx, pod, v.ValueFrom)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			value = resolved
		case value != "":
			value = expansion.Expand(value, mapping)
		}
		set(v.Name, value)
	}
	for name, value := range serviceEnv {
		if _, ok := env[name]; !ok {
			set(name, value)
		}
	}
	if _, ok := env["PATH"]; !ok {
		set("PATH", defaultPath)
	}
	if _, ok := env["HOSTNAME"]; !ok {
		set("HOSTNAME", pod.Name)
	}
	out := make([]string, 0, len(order))
	for _, name := range order {
		out = append(out, name+"="+env[name])
	}
	return out, nil
}

// serviceEnv points in-cluster clients at the API server itself, since there
// is no service proxy: kubelet's variables for the kubernetes service.
func (w *podWorker) serviceEnv() map[string]string {
	host, port := w.a.cfg.apiHost, w.a.cfg.apiPort
	url := "tcp://" + host + ":" + port
	prefix := "KUBERNETES_PORT_" + port + "_TCP"
	return map[string]string{
		"KUBERNETES_SERVICE_HOST":       host,
		"KUBERNETES_SERVICE_PORT":       port,
		"KUBERNETES_SERVICE_PORT_HTTPS": port,
		"KUBERNETES_PORT":               url,
		prefix:                          url,
		prefix + "_PROTO":               "tcp",
		prefix + "_PORT":                port,
		prefix + "_ADDR":                host,
	}
}

func (w *podWorker) envFromSource(ctx context.Context, namespace string, from corev1.EnvFromSource) (map[string]string, error) {
	switch {
	case from.ConfigMapRef != nil:
		cm, err := w.a.client.CoreV1().ConfigMaps(namespace).Get(ctx, from.ConfigMapRef.Name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) && optional(from.ConfigMapRef.Optional) {
			return nil, nil
		}
		if err != nil {
			return nil, notFoundMessage(err, "configmap", from.ConfigMapRef.Name)
		}
		return cm.Data, nil
	case from.SecretRef != nil:
		secret, err := w.a.client.CoreV1().Secrets(namespace).Get(ctx, from.SecretRef.Name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) && optional(from.SecretRef.Optional) {
			return nil, nil
		}
		if err != nil {
			return nil, notFoundMessage(err, "secret", from.SecretRef.Name)
		}
		values := make(map[string]string, len(secret.Data))
		for key, value := range secret.Data {
			values[key] = string(value)
		}
		return values, nil
	}
	return nil, nil
}

// envValueFrom resolves one valueFrom; ok is false for a missing optional key.
func (w *podWorker) envValueFrom(ctx context.Context, pod *corev1.Pod, from *corev1.EnvVarSource) (string, bool, error) {
	switch {
	case from.FieldRef != nil:
		value, err := podField(pod, from.FieldRef.FieldPath)
		return value, err == nil, err
	case from.ConfigMapKeyRef != nil:
		ref := from.ConfigMapKeyRef
		cm, err := w.a.client.CoreV1().ConfigMaps(pod.Namespace).Get(ctx, ref.Name, metav1.GetOptions{})
		if err != nil {
			if apierrors.IsNotFound(err) && optional(ref.Optional) {
				return "", false, nil
			}
			return "", false, notFoundMessage(err, "configmap", ref.Name)
		}
		value, found := cm.Data[ref.Key]
		if !found && !optional(ref.Optional) {
			return "", false, fmt.Errorf("couldn't find key %s in ConfigMap %s/%s", ref.Key, pod.Namespace, ref.Name)
		}
		return value, found, nil
	case from.SecretKeyRef != nil:
		ref := from.SecretKeyRef
		secret, err := w.a.client.CoreV1().Secrets(pod.Namespace).Get(ctx, ref.Name, metav1.GetOptions{})
		if err != nil {
			if apierrors.IsNotFound(err) && optional(ref.Optional) {
				return "", false, nil
			}
			return "", false, notFoundMessage(err, "secret", ref.Name)
		}
		value, found := secret.Data[ref.Key]
		if !found && !optional(ref.Optional) {
			return "", false, fmt.Errorf("couldn't find key %s in Secret %s/%s", ref.Key, pod.Namespace, ref.Name)
		}
		return string(value), found, nil
	}
	return "", false, fmt.Errorf("unsupported valueFrom: only fieldRef, configMapKeyRef and secretKeyRef are")
}

// notFoundMessage words a missing object as kubelet does (`secret "x" not
// found`); other errors keep their context.
func notFoundMessage(err error, kind, name string) error {
	if apierrors.IsNotFound(err) {
		return fmt.Errorf("%s %q not found", kind, name)
	}
	return fmt.Errorf("get %s %q: %w", kind, name, err)
}

func optional(flag *bool) bool { return flag != nil && *flag }

// podField answers the downward API's field paths.
func podField(pod *corev1.Pod, path string) (string, error) {
	switch path {
	case "metadata.name":
		return pod.Name, nil
	case "metadata.namespace":
		return pod.Namespace, nil
	case "metadata.uid":
		return string(pod.UID), nil
	case "metadata.labels":
		return formatMap(pod.Labels), nil
	case "metadata.annotations":
		return formatMap(pod.Annotations), nil
	case "spec.nodeName":
		return pod.Spec.NodeName, nil
	case "spec.serviceAccountName":
		return pod.Spec.ServiceAccountName, nil
	case "status.podIP", "status.hostIP", "status.podIPs", "status.hostIPs":
		return podIP, nil
	}
	if key, ok := subscript(path, "metadata.labels"); ok {
		return pod.Labels[key], nil
	}
	if key, ok := subscript(path, "metadata.annotations"); ok {
		return pod.Annotations[key], nil
	}
	return "", fmt.Errorf("unsupported fieldRef %q", path)
}

// subscript parses `prefix['key']`.
func subscript(path, prefix string) (string, bool) {
	rest, ok := strings.CutPrefix(path, prefix+"['")
	if !ok {
		return "", false
	}
	return strings.CutSuffix(rest, "']")
}

// formatMap writes labels or annotations the way the downward API does.
func formatMap(m map[string]string) string {
	var b strings.Builder
	for _, key := range slices.Sorted(maps.Keys(m)) {
		fmt.Fprintf(&b, "%s=%q\n", key, m[key])
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// expandCommand is the container's argv, $(VAR) expanded: command replaces
// the image's entrypoint and args follow it, as Kubernetes defines; the
// images have an entrypoint and no default arguments.
func expandCommand(c *corev1.Container, entrypoint []string, env []string) []string {
	values := map[string]string{}
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		values[name] = value
	}
	mapping := expansion.MappingFuncFor(values)
	var argv []string
	command := c.Command
	if len(command) == 0 {
		command = entrypoint
	}
	for _, arg := range append(slices.Clone(command), c.Args...) {
		argv = append(argv, expansion.Expand(arg, mapping))
	}
	return argv
}
