package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const defaultFileMode = 0o644

// volumeFile is one file of a secret, configMap, downwardAPI or projected volume.
type volumeFile struct {
	path string
	data []byte
	mode os.FileMode
}

func (w *podWorker) volumeDir(name string) string {
	return filepath.Join(w.dir, "volumes", name)
}

// setupVolumes materialises every volume of the pod under the pod's
// directory. Content is written once, when the pod starts.
func (w *podWorker) setupVolumes(ctx context.Context) error {
	w.mu.Lock()
	pod := w.pod
	w.mu.Unlock()
	for _, vol := range pod.Spec.Volumes {
		if err := w.setupVolume(ctx, pod, vol); err != nil {
			return fmt.Errorf("MountVolume.SetUp failed for volume %q: %w", vol.Name, err)
		}
	}
	return nil
}

func (w *podWorker) setupVolume(ctx context.Context, pod *corev1.Pod, vol corev1.Volume) error {
	dir := w.volumeDir(vol.Name)
	var files []volumeFile
	var err error
	switch src := vol.VolumeSource; {
	case src.EmptyDir != nil:
		return makeSharedDir(dir, fsGroup(pod))
	case src.HostPath != nil:
		return nil
	case src.Secret != nil:
		files, err = w.secretFiles(ctx, pod.Namespace, src.Secret.SecretName, src.Secret.Items, src.Secret.Optional, modeOr(src.Secret.DefaultMode))
	case src.ConfigMap != nil:
		files, err = w.configMapFiles(ctx, pod.Namespace, src.ConfigMap.Name, src.ConfigMap.Items, src.ConfigMap.Optional, modeOr(src.ConfigMap.DefaultMode))
	case src.DownwardAPI != nil:
		files, err = downwardFiles(pod, src.DownwardAPI.Items, modeOr(src.DownwardAPI.DefaultMode))
	case src.Projected != nil:
		files, err = w.projectedFiles(ctx, pod, src.Projected)
	default:
		return fmt.Errorf("volume type is not supported by the node agent")
	}
	if err != nil {
		return err
	}
	return writeVolume(dir, files, fsGroup(pod))
}

func modeOr(mode *int32) os.FileMode {
	if mode == nil {
		return defaultFileMode
	}
	return os.FileMode(*mode)
}

func itemMode(item corev1.KeyToPath, fallback os.FileMode) os.FileMode {
	if item.Mode != nil {
		return os.FileMode(*item.Mode)
	}
	return fallback
}

// makeSharedDir is an emptyDir: world-writable, as kubelet makes it.
func makeSharedDir(dir string, group *int64) error {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return fmt.Errorf("create emptyDir: %w", err)
	}
	if err := os.Chmod(dir, 0o777); err != nil {
		return fmt.Errorf("chmod emptyDir: %w", err)
	}
	if group != nil {
		if err := os.Chown(dir, -1, int(*group)); err != nil {
			return fmt.Errorf("chown emptyDir to fsGroup: %w", err)
		}
	}
	return nil
}

func writeVolume(dir string, files []volumeFile, group *int64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create volume directory: %w", err)
	}
	for _, f := range files {
		path := filepath.Join(dir, filepath.Clean("/"+f.path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("create directory for %s: %w", f.path, err)
		}
		mode := f.mode
		if group != nil {
			// kubelet gives fsGroup read access to the files it owns.
			mode |= 0o040
		}
		if err := os.WriteFile(path, f.data, mode); err != nil {
			return fmt.Errorf("write %s: %w", f.path, err)
		}
		if err := os.Chmod(path, mode); err != nil {
			return fmt.Errorf("chmod %s: %w", f.path, err)
		}
		if group != nil {
			if err := os.Chown(path, -1, int(*group)); err != nil {
				return fmt.Errorf("chown %s to fsGroup: %w", f.path, err)
			}
		}
	}
	return nil
}

// keyedFiles projects a secret's or configMap's data: every key, or the
// listed items.
func keyedFiles(data map[string][]byte, items []corev1.KeyToPath, mode os.FileMode, describe string) ([]volumeFile, error) {
	var files []volumeFile
	if len(items) == 0 {
		for key, value := range data {
			files = append(files, volumeFile{path: key, data: value, mode: mode})
		}
		return files, nil
	}
	for _, item := range items {
		value, ok := data[item.Key]
		if !ok {
			return nil, fmt.Errorf("%s references non-existent key: %s", describe, item.Key)
		}
		files = append(files, volumeFile{path: item.Path, data: value, mode: itemMode(item, mode)})
	}
	return files, nil
}

func (w *podWorker) secretFiles(ctx context.Context, namespace, name string, items []corev1.KeyToPath, opt *bool, mode os.FileMode) ([]volumeFile, error) {
	secret, err := w.a.client.CoreV1().Secrets(namespace).Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) && optional(opt) {
		return nil, nil
	}
	if err != nil {
		return nil, notFoundMessage(err, "secret", name)
	}
	return keyedFiles(secret.Data, items, mode, "secret")
}

func (w *podWorker) configMapFiles(ctx context.Context, namespace, name string, items []corev1.KeyToPath, opt *bool, mode os.FileMode) ([]volumeFile, error) {
	cm, err := w.a.client.CoreV1().ConfigMaps(namespace).Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) && optional(opt) {
		return nil, nil
	}
	if err != nil {
		return nil, notFoundMessage(err, "configmap", name)
	}
	data := make(map[string][]byte, len(cm.Data)+len(cm.BinaryData))
	for key, value := range cm.Data {
		data[key] = []byte(value)
	}
	for key, value := range cm.BinaryData {
		data[key] = value
	}
	return keyedFiles(data, items, mode, "configmap")
}

func downwardFiles(pod *corev1.Pod, items []corev1.DownwardAPIVolumeFile, mode os.FileMode) ([]volumeFile, error) {
	var files []volumeFile
	for _, item := range items {
		if item.FieldRef == nil {
			return nil, fmt.Errorf("downwardAPI item %s: only fieldRef is supported", item.Path)
		}
		value, err := podField(pod, item.FieldRef.FieldPath)
		if err != nil {
			return nil, err
		}
		fileMode := mode
		if item.Mode != nil {
			fileMode = os.FileMode(*item.Mode)
		}
		files = append(files, volumeFile{path: item.Path, data: []byte(value), mode: fileMode})
	}
	return files, nil
}

// projectedFiles includes the service account token that every pod's
// kube-api-access volume carries, requested bound to the pod as kubelet
// requests it.
func (w *podWorker) projectedFiles(ctx context.Context, pod *corev1.Pod, src *corev1.ProjectedVolumeSource) ([]volumeFile, error) {
	mode := modeOr(src.DefaultMode)
	var files []volumeFile
	for _, source := range src.Sources {
		var part []volumeFile
		var err error
		switch {
		case source.Secret != nil:
			part, err = w.secretFiles(ctx, pod.Namespace, source.Secret.Name, source.Secret.Items, source.Secret.Optional, mode)
		case source.ConfigMap != nil:
			part, err = w.configMapFiles(ctx, pod.Namespace, source.ConfigMap.Name, source.ConfigMap.Items, source.ConfigMap.Optional, mode)
		case source.DownwardAPI != nil:
			part, err = downwardFiles(pod, source.DownwardAPI.Items, mode)
		case source.ServiceAccountToken != nil:
			part, err = w.tokenFile(ctx, pod, source.ServiceAccountToken, mode)
		default:
			err = fmt.Errorf("projected source is not supported by the node agent")
		}
		if err != nil {
			return nil, err
		}
		files = append(files, part...)
	}
	return files, nil
}

func (w *podWorker) tokenFile(ctx context.Context, pod *corev1.Pod, src *corev1.ServiceAccountTokenProjection, mode os.FileMode) ([]volumeFile, error) {
	request := &authenticationv1.TokenRequest{
		Spec: authenticationv1.TokenRequestSpec{
			ExpirationSeconds: src.ExpirationSeconds,
			BoundObjectRef: &authenticationv1.BoundObjectReference{
				APIVersion: "v1", Kind: "Pod", Name: pod.Name, UID: pod.UID,
			},
		},
	}
	if src.Audience != "" {
		request.Spec.Audiences = []string{src.Audience}
	}
	account := pod.Spec.ServiceAccountName
	if account == "" {
		account = "default"
	}
	token, err := w.a.client.CoreV1().ServiceAccounts(pod.Namespace).CreateToken(ctx, account, request, metav1.CreateOptions{})
	if err != nil {
		return nil, fmt.Errorf("request token for service account %s/%s: %w", pod.Namespace, account, err)
	}
	return []volumeFile{{path: src.Path, data: []byte(token.Status.Token), mode: mode}}, nil
}

// containerMounts lists the binds for one container: its volume mounts, the
// termination message file, and the pod's /etc/hosts.
func (w *podWorker) containerMounts(pod *corev1.Pod, c *corev1.Container, termPath string) ([]mountSpec, error) {
	volumes := map[string]corev1.Volume{}
	for _, vol := range pod.Spec.Volumes {
		volumes[vol.Name] = vol
	}
	var mounts []mountSpec
	for _, vm := range c.VolumeMounts {
		vol, ok := volumes[vm.Name]
		if !ok {
			return nil, fmt.Errorf("volume mount %q refers to no volume of the pod", vm.Name)
		}
		source := w.volumeDir(vm.Name)
		if vol.HostPath != nil {
			source = vol.HostPath.Path
		}
		readOnly := vm.ReadOnly
		if vol.Secret != nil || vol.ConfigMap != nil || vol.DownwardAPI != nil || vol.Projected != nil {
			// kubelet mounts these read-only whatever the mount says.
			readOnly = true
		}
		if vm.SubPath != "" {
			source = filepath.Join(source, filepath.Clean("/"+vm.SubPath))
			if _, err := os.Stat(source); os.IsNotExist(err) {
				if err := os.MkdirAll(source, 0o777); err != nil {
					return nil, fmt.Errorf("create subPath %s: %w", vm.SubPath, err)
				}
			}
		}
		mounts = append(mounts, mountSpec{Source: source, Target: vm.MountPath, ReadOnly: readOnly})
	}
	termTarget := c.TerminationMessagePath
	if termTarget == "" {
		termTarget = corev1.TerminationMessagePathDefault
	}
	mounts = append(mounts, mountSpec{Source: termPath, Target: termTarget})
	hosts, err := w.hostsFile(pod)
	if err != nil {
		return nil, err
	}
	return append(mounts, mountSpec{Source: hosts, Target: "/etc/hosts"}), nil
}

// hostsFile is the pod's /etc/hosts, as kubelet writes it for a pod.
func (w *podWorker) hostsFile(pod *corev1.Pod) (string, error) {
	path := filepath.Join(w.dir, "etc-hosts")
	hostname := pod.Name
	if pod.Spec.Hostname != "" {
		hostname = pod.Spec.Hostname
	}
	lines := []string{
		"# Kubernetes-managed hosts file.",
		"127.0.0.1\tlocalhost",
		"::1\tlocalhost ip6-localhost ip6-loopback",
		podIP + "\t" + hostname,
	}
	for _, alias := range pod.Spec.HostAliases {
		lines = append(lines, alias.IP+"\t"+strings.Join(alias.Hostnames, "\t"))
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		return "", fmt.Errorf("write hosts file: %w", err)
	}
	return path, nil
}
