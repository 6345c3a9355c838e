package perspective

import (
	"context"
	"fmt"
)

// Images is the handle for the images of one Cloud or a Set.
type Images struct {
	clouds []*Cloud
	absent []CloudError
	call   callOptions
}

// With returns a copy of the handle whose bulk calls (Delete) use opts:
// Concurrency bounds the images deleted at once by one call (over all the
// clouds of a Set, since an image is found on its cloud as part of its
// item), and Progress and OnResult are told of each distinct image once as
// it is done, as for Instances.With.
func (s *Images) With(opts ...CallOption) *Images {
	cp := *s
	cp.call = s.call.with(opts)
	return &cp
}

// In returns a copy of the handle narrowed to the clouds matching t; it
// keeps the handle's call options.
func (s *Images) In(t Target) *Images {
	cp := *s
	cp.clouds = narrow(s.clouds, t)
	cp.absent = narrowAbsent(s.absent, t)
	return &cp
}

// List returns the images of every cloud. A cloud that fails never fails
// the others: see Instances.List and PartialError.
func (s *Images) List(ctx context.Context) ([]Image, error) {
	if ctx == nil {
		return nil, invalidArg(OpList, "ctx", "is nil")
	}
	return gather(ctx, s.clouds, s.absent, OpList, KindImage, func(c *Cloud) ([]Image, error) { return c.images(ctx) })
}

// Get returns the image with this global id, real id, or else name.
func (s *Images) Get(ctx context.Context, ref string) (Image, error) {
	return firstFound(ctx, s.clouds, OpGet, KindImage, ref, func(c *Cloud) (Image, error) {
		if real, ok := c.lookup(ref, KindImage); ok {
			img, err := c.drv.GetImage(ctx, real)
			if err != nil {
				return Image{}, err
			}
			return c.adoptImage(img), nil
		}
		return c.findImage(ctx, ref)
	})
}

// Create adds an image (and uploads spec.Data, if any). On a multi-cloud
// Set, narrow the handle with In first.
func (s *Images) Create(ctx context.Context, spec ImageSpec) (Image, error) {
	if ctx == nil {
		return Image{}, invalidArg(OpAddImage, "ctx", "is nil")
	}
	if err := validName(OpAddImage, spec.Name); err != nil {
		return Image{}, err
	}
	if spec.MinDisk < 0 || spec.MinRAM < 0 {
		return Image{}, invalidArg(OpAddImage, "minDisk/minRam", "must not be negative")
	}
	switch spec.Visibility {
	case "", "public", "private", "shared", "community":
	default:
		return Image{}, invalidArg(OpAddImage, "visibility", "%s is not public, private, shared or community", quoted(spec.Visibility))
	}
	c, err := single(OpAddImage, s.clouds)
	if err != nil {
		return Image{}, err
	}
	a := args{imageSpec: spec}
	err = c.call(ctx, OpAddImage, "", &a)
	if err != nil {
		c.invalidate(KindImage) // a failed create may still have made the image
		return Image{}, classify(err, OpAddImage, KindImage, spec.Name)
	}
	img := c.adoptImage(a.image)
	c.meta.images.put(img.Clone())
	return img, nil
}

// Update changes an image's name, visibility, sizes or metadata.
func (s *Images) Update(ctx context.Context, id string, u ImageUpdate) (Image, error) {
	if u.Name != nil {
		if err := validName(OpUpdateImage, *u.Name); err != nil {
			return Image{}, err
		}
	}
	if (u.MinDisk != nil && *u.MinDisk < 0) || (u.MinRAM != nil && *u.MinRAM < 0) {
		return Image{}, invalidArg(OpUpdateImage, "minDisk/minRam", "must not be negative")
	}
	img, err := s.Get(ctx, id)
	if err != nil {
		return Image{}, err
	}
	c := s.cloudOf(img)
	a := args{imageUpdate: u}
	err = c.call(ctx, OpUpdateImage, img.RealID, &a)
	if err != nil {
		c.invalidate(KindImage) // a failed update may still have changed the image
		return Image{}, classify(err, OpUpdateImage, KindImage, id)
	}
	img = c.adoptImage(a.image)
	c.meta.images.put(img.Clone())
	return img, nil
}

// Delete deletes images by global id, real id or name; one result per id,
// in the order given. A repeated id is deleted once; an empty id fails
// without a call to the cloud. See With for the call options it honours.
func (s *Images) Delete(ctx context.Context, ids ...string) (*Report, error) {
	rep := &Report{Op: OpDeleteImage}
	if ctx == nil {
		return rep, invalidArg(OpDeleteImage, "ctx", "is nil")
	}
	if len(ids) == 0 {
		return rep, invalidArg(OpDeleteImage, "ids", "no image ids given")
	}
	rep = runItems(ctx, executorOf(s.clouds), OpDeleteImage, KindImage, "ids", ids, s.call, s.deleteOne)
	return rep, rep.Err()
}

func (s *Images) deleteOne(ctx context.Context, id string) error {
	img, err := s.Get(ctx, id)
	if err != nil {
		return classify(err, OpDeleteImage, KindImage, id)
	}
	c := s.cloudOf(img)
	err = c.call(ctx, OpDeleteImage, img.RealID, &args{})
	if err != nil {
		c.invalidate(KindImage) // even a failed delete may have changed the image
		return classify(err, OpDeleteImage, KindImage, id)
	}
	c.meta.images.drop(img.RealID)
	c.forget(img.ID)
	return nil
}

func (s *Images) cloudOf(img Image) *Cloud {
	for _, c := range s.clouds {
		if c.info.CloudID == img.CloudID {
			return c
		}
	}
	return s.clouds[0]
}

// unsupported is the error for an operation the cloud cannot perform.
func (c *Cloud) unsupported(op Operation) error {
	return &Error{Code: CodeUnsupported, Op: op,
		Msg: fmt.Sprintf("the %s cloud %s does not support %s", c.info.Type, c.info.CloudID, op)}
}
