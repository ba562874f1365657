package main

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
)

// credentials applies the pod's and the container's securityContext, the
// container's fields winning. The images define no users, so the default is
// root, and fsGroup and supplementalGroups become supplementary groups.
func credentials(pod *corev1.Pod, c *corev1.Container) (creds, error) {
	var uid, gid *int64
	var nonRoot *bool
	if psc := pod.Spec.SecurityContext; psc != nil {
		uid, gid, nonRoot = psc.RunAsUser, psc.RunAsGroup, psc.RunAsNonRoot
	}
	if csc := c.SecurityContext; csc != nil {
		if csc.RunAsUser != nil {
			uid = csc.RunAsUser
		}
		if csc.RunAsGroup != nil {
			gid = csc.RunAsGroup
		}
		if csc.RunAsNonRoot != nil {
			nonRoot = csc.RunAsNonRoot
		}
	}
	var out creds
	if uid != nil {
		out.UID = uint32(*uid)
	}
	if gid != nil {
		out.GID = uint32(*gid)
	}
	if nonRoot != nil && *nonRoot && out.UID == 0 {
		return out, fmt.Errorf("container has runAsNonRoot and image will run as root (pod: %q, container: %s)",
			pod.Name+"_"+pod.Namespace+"("+string(pod.UID)+")", c.Name)
	}
	if psc := pod.Spec.SecurityContext; psc != nil {
		if psc.FSGroup != nil {
			out.Groups = append(out.Groups, uint32(*psc.FSGroup))
		}
		for _, g := range psc.SupplementalGroups {
			out.Groups = append(out.Groups, uint32(g))
		}
	}
	return out, nil
}

// fsGroup is the group that owns the pod's writable volumes, if any.
func fsGroup(pod *corev1.Pod) *int64 {
	if pod.Spec.SecurityContext == nil {
		return nil
	}
	return pod.Spec.SecurityContext.FSGroup
}
