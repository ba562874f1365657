package main

import (
	"context"
	"fmt"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

const (
	leaseNamespace = "kube-node-lease"
	// kubelet renews every quarter of the lease duration (40 s).
	leaseDuration = 40
	leaseRenewal  = 10 * time.Second
)

func (a *agent) heartbeat(ctx context.Context) {
	ticker := time.NewTicker(leaseRenewal)
	defer ticker.Stop()
	for {
		if err := a.renewLease(ctx); err != nil && ctx.Err() == nil {
			a.log.Error("lease renewal failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

func (a *agent) renewLease(ctx context.Context) error {
	leases := a.client.CoordinationV1().Leases(leaseNamespace)
	now := metav1.NewMicroTime(time.Now())
	lease, err := leases.Get(ctx, a.cfg.nodeName, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		lease, err = a.newLease(ctx)
		if err != nil {
			return err
		}
		lease.Spec.RenewTime = &now
		if _, err := leases.Create(ctx, lease, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("create lease: %w", err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("get lease: %w", err)
	}
	lease.Spec.RenewTime = &now
	if _, err := leases.Update(ctx, lease, metav1.UpdateOptions{}); err != nil {
		return fmt.Errorf("renew lease: %w", err)
	}
	return nil
}

// newLease is owned by the Node, so deleting the Node deletes its Lease.
func (a *agent) newLease(ctx context.Context) (*coordinationv1.Lease, error) {
	node, err := a.client.CoreV1().Nodes().Get(ctx, a.cfg.nodeName, metav1.GetOptions{})
	if err != nil {
		return nil, fmt.Errorf("get node for lease owner: %w", err)
	}
	return &coordinationv1.Lease{
		ObjectMeta: metav1.ObjectMeta{
			Name:      a.cfg.nodeName,
			Namespace: leaseNamespace,
			OwnerReferences: []metav1.OwnerReference{{
				APIVersion: "v1", Kind: "Node", Name: node.Name, UID: node.UID,
			}},
		},
		Spec: coordinationv1.LeaseSpec{
			HolderIdentity:       ptr.To(a.cfg.nodeName),
			LeaseDurationSeconds: ptr.To[int32](leaseDuration),
		},
	}, nil
}
