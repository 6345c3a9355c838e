package perspective

import (
	"context"
	"errors"
	"fmt"
	"github.com/perspective-cloud/sdk/driver"
	"maps"
	"slices"
	"time"
)

// MaxLaunchCount bounds how many instances one Launch may ask for.
const MaxLaunchCount = 1000

// Launch starts spec.Count instances (one when zero) in the handle's cloud.
// It checks the flavor, image, networks and keypair before asking the
// cloud. The report has one result per requested instance, each carrying
// its instance; when the cloud refuses the whole request (a quota, say),
// every result carries that error. On a multi-cloud Set, narrow the handle
// with In first.
func (s *Instances) Launch(ctx context.Context, spec LaunchSpec) (*Report, error) {
	rep := &Report{Op: OpLaunch}
	if ctx == nil {
		return rep, invalidArg(OpLaunch, "ctx", "is nil")
	}
	if err := validName(OpLaunch, spec.Name); err != nil {
		return rep, err
	}
	if spec.Count < 0 || spec.Count > MaxLaunchCount {
		return rep, invalidArg(OpLaunch, "count", "must be 0 to %d, not %d", MaxLaunchCount, spec.Count)
	}
	if spec.Count == 0 {
		spec.Count = 1
	}
	if spec.FlavorID == "" {
		return rep, invalidArg(OpLaunch, "flavor", "is required")
	}
	if spec.ImageID == "" {
		return rep, invalidArg(OpLaunch, "image", "is required")
	}
	if len(spec.Tags) > 0 {
		if err := validTags(OpLaunch, spec.Tags); err != nil {
			return rep, err
		}
	}
	c, err := single(OpLaunch, s.clouds)
	if err != nil {
		return rep, err
	}
	if spec.Locked && !c.Supports(OpLock) {
		return rep, &Error{Code: CodeUnsupported, Op: OpLaunch, Msg: "isLocked: the cloud cannot lock instances"}
	}
	resolved, err := c.resolveSpec(ctx, spec)
	if err != nil {
		return rep, err
	}
	start := time.Now()
	launched, lerr := c.drv.LaunchInstances(ctx, driver.LaunchSpec(resolved))
	took := time.Since(start)
	if lerr != nil {
		rep.Results = make([]Result, spec.Count)
		for i := range rep.Results {
			rep.Results[i] = Result{Err: classify(lerr, OpLaunch, KindInstance, launchName(spec, i)), Attempts: 1, Duration: took}
		}
		return rep, rep.Err()
	}
	insts := c.adoptInstances(launched)
	c.enrich(ctx, insts)
	for i := range insts {
		res := Result{ID: insts[i].ID, Attempts: 1, Duration: took}
		if spec.Locked {
			if err := c.call(ctx, OpLock, insts[i].RealID, &args{}); err != nil {
				res.Err = classify(err, OpLock, KindInstance, insts[i].ID)
			} else {
				insts[i].Locked = true
			}
		}
		inst := insts[i]
		res.Instance = &inst
		rep.Results = append(rep.Results, res)
	}
	for i := len(insts); i < spec.Count; i++ {
		rep.Results = append(rep.Results, Result{Attempts: 1, Duration: took,
			Err: &Error{Code: CodeUnknown, Op: OpLaunch, Kind: KindInstance, ID: launchName(spec, i),
				Msg: fmt.Sprintf("the cloud launched %d of %d instances", len(insts), spec.Count)}})
	}
	return rep, rep.Err()
}

// launchName is the name the i-th instance of a launch gets.
func launchName(spec LaunchSpec, i int) string {
	if spec.Count <= 1 {
		return spec.Name
	}
	return fmt.Sprintf("%s-%d", spec.Name, i+1)
}

// resolveSpec turns the flavor, image and networks of spec into real ids of
// this cloud and checks the keypair, so that the driver sees only valid input.
func (c *Cloud) resolveSpec(ctx context.Context, spec LaunchSpec) (LaunchSpec, error) {
	f, err := c.findFlavor(ctx, spec.FlavorID)
	if err != nil {
		return spec, badRef(err)
	}
	img, err := c.findImage(ctx, spec.ImageID)
	if err != nil {
		return spec, badRef(err)
	}
	if img.State != ImageSaved && img.State != ImageUnknown {
		return spec, &Error{Code: CodeInvalidArgument, Op: OpLaunch,
			Msg: fmt.Sprintf("image: %q is %s, not saved", img.Name, img.State)}
	}
	out := spec
	out.FlavorID = f.ID
	out.ImageID = img.RealID
	out.Networks = nil
	for _, n := range spec.Networks {
		net, err := c.findNetwork(ctx, n)
		if err != nil {
			return spec, badRef(err)
		}
		out.Networks = append(out.Networks, net.ID)
	}
	if spec.KeyName != "" {
		_, err := c.findKeypair(ctx, spec.KeyName)
		if Code(err) == CodeNotFound {
			return spec, &Error{Code: CodeInvalidArgument, Op: OpLaunch, Msg: fmt.Sprintf("keyName: no keypair %s", quoted(spec.KeyName))}
		}
		if err != nil {
			return spec, classify(err, OpLaunch, "", "")
		}
	}
	out.Metadata = maps.Clone(spec.Metadata)
	out.Tags = slices.Clone(spec.Tags)
	return out, nil
}

// findFlavor returns the flavor with this id, or else this name.
func (c *Cloud) findFlavor(ctx context.Context, idOrName string) (Flavor, error) {
	f, ok, err := findIn(ctx, c.meta.flavors, func(fs []Flavor) (int, bool) {
		return firstOf(fs, func(f *Flavor) bool { return f.ID == idOrName }, func(f *Flavor) bool { return f.Name == idOrName })
	})
	if err == nil && !ok {
		err = &Error{Code: CodeNotFound, Msg: fmt.Sprintf("flavor: no flavor %s in cloud %s", quoted(idOrName), c.info.CloudID)}
	}
	return f, err
}

// findImage returns the image with this global id, real id, or else name.
func (c *Cloud) findImage(ctx context.Context, ref string) (Image, error) {
	img, ok, err := findIn(ctx, c.meta.images, func(imgs []Image) (int, bool) {
		return firstOf(imgs, func(i *Image) bool { return i.ID == ref }, func(i *Image) bool { return i.RealID == ref },
			func(i *Image) bool { return i.Name == ref })
	})
	if err == nil && !ok {
		err = &Error{Code: CodeNotFound, Msg: fmt.Sprintf("image: no image %s in cloud %s", quoted(ref), c.info.CloudID)}
	}
	return img, err
}

// findNetwork returns the network with this id, or else this name.
func (c *Cloud) findNetwork(ctx context.Context, idOrName string) (Network, error) {
	n, ok, err := findIn(ctx, c.meta.networks, func(ns []Network) (int, bool) {
		return firstOf(ns, func(n *Network) bool { return n.ID == idOrName }, func(n *Network) bool { return n.Name == idOrName })
	})
	if err == nil && !ok {
		err = &Error{Code: CodeNotFound, Msg: fmt.Sprintf("network: no network %s in cloud %s", quoted(idOrName), c.info.CloudID)}
	}
	return n, err
}

// findKeypair returns the keypair with this name.
func (c *Cloud) findKeypair(ctx context.Context, name string) (Keypair, error) {
	k, ok, err := findIn(ctx, c.meta.keypairs, func(ks []Keypair) (int, bool) {
		return firstOf(ks, func(k *Keypair) bool { return k.Name == name })
	})
	if err == nil && !ok {
		err = &Error{Code: CodeNotFound, Msg: fmt.Sprintf("keypair: no keypair %s in cloud %s", quoted(name), c.info.CloudID)}
	}
	return k, err
}

// firstOf returns the position of the first item the first test that any
// item passes accepts: the tests are tried in order of preference.
func firstOf[T any](items []T, tests ...func(*T) bool) (int, bool) {
	for _, test := range tests {
		for i := range items {
			if test(&items[i]) {
				return i, true
			}
		}
	}
	return 0, false
}

// badRef turns "no such flavor/image/network" in a launch request into an
// invalid argument: the request is wrong, not the URL.
func badRef(err error) error {
	if Code(err) == CodeNotFound {
		var e *Error
		if errors.As(err, &e) {
			return &Error{Code: CodeInvalidArgument, Op: OpLaunch, Msg: e.Msg}
		}
	}
	return classify(err, OpLaunch, "", "")
}
