package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
)

// imageStore reads the registrations written by `kube.sh image`: one file per
// image, its reference on the first line, its root file system on the second
// and its entrypoint's words on the lines after. The directory is read on every lookup so that an image registered
// after a pod was created is found on the next attempt, as a pull would be.
type imageStore struct {
	dir string
}

type image struct {
	ref        string
	rootfs     string
	entrypoint []string
	// id stands in for a digest: the registration's file name is a hash of the reference.
	id string
}

// errImageNotFound is what a failed pull looks like to the pod worker.
type errImageNotFound struct{ ref string }

func (e errImageNotFound) Error() string {
	return fmt.Sprintf("failed to pull and unpack image %q: image is not registered with `kube.sh image`", e.ref)
}

func (s *imageStore) lookup(ref string) (image, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return image{}, fmt.Errorf("read images directory: %w", err)
	}
	for _, entry := range entries {
		lines, err := readLines(filepath.Join(s.dir, entry.Name()))
		if err != nil {
			return image{}, err
		}
		if len(lines) >= 2 && lines[0] == ref {
			return image{ref: ref, rootfs: lines[1], entrypoint: lines[2:], id: "sha256:" + entry.Name()}, nil
		}
	}
	return image{}, errImageNotFound{ref: ref}
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read image registration: %w", err)
	}
	defer f.Close()
	var lines []string
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		lines = append(lines, scanner.Text())
	}
	if err := scanner.Err(); err != nil {
		return nil, fmt.Errorf("read image registration %s: %w", path, err)
	}
	return lines, nil
}
