package main

import (
	"context"
	"fmt"
	"sync"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/tools/cache"
)

// podManager routes the informer's events for the node's pods to one worker
// per pod UID, as kubelet's pod workers do.
type podManager struct {
	a       *agent
	mu      sync.Mutex
	workers map[types.UID]*podWorker
	all     sync.WaitGroup
}

func newPodManager(a *agent) *podManager {
	return &podManager{a: a, workers: map[types.UID]*podWorker{}}
}

// run watches the node's pods until ctx ends.
func (m *podManager) run(ctx context.Context) error {
	factory := informers.NewSharedInformerFactoryWithOptions(m.a.client, 0,
		informers.WithTweakListOptions(func(options *metav1.ListOptions) {
			options.FieldSelector = fields.OneTermEqualSelector("spec.nodeName", m.a.cfg.nodeName).String()
		}))
	informer := factory.Core().V1().Pods().Informer()
	if _, err := informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(obj any) { m.observe(obj) },
		UpdateFunc: func(_, obj any) { m.observe(obj) },
		DeleteFunc: m.gone,
	}); err != nil {
		return fmt.Errorf("watch pods: %w", err)
	}
	factory.Start(ctx.Done())
	if !cache.WaitForCacheSync(ctx.Done(), informer.HasSynced) && ctx.Err() == nil {
		return fmt.Errorf("pod informer did not sync")
	}
	<-ctx.Done()
	factory.Shutdown()
	return nil
}

func (m *podManager) observe(obj any) {
	pod, ok := obj.(*corev1.Pod)
	if !ok {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	w, known := m.workers[pod.UID]
	if !known {
		if m.a.ctx.Err() != nil {
			return
		}
		terminalPhase := pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed
		w = newPodWorker(m.a, pod, terminalPhase)
		m.workers[pod.UID] = w
		m.all.Go(func() {
			w.run()
			m.mu.Lock()
			delete(m.workers, pod.UID)
			m.mu.Unlock()
		})
	}
	w.update(pod)
}

func (m *podManager) gone(obj any) {
	if tombstone, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		obj = tombstone.Obj
	}
	pod, ok := obj.(*corev1.Pod)
	if !ok {
		return
	}
	m.mu.Lock()
	w := m.workers[pod.UID]
	m.mu.Unlock()
	if w != nil {
		w.removed()
	}
}

// shutdown stops every container with its grace period and waits for them.
func (m *podManager) shutdown() {
	m.mu.Lock()
	for _, w := range m.workers {
		w.shutdown()
	}
	m.mu.Unlock()
	m.all.Wait()
}
