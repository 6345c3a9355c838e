package perspective_test

import (
	"context"
	"errors"
	"fmt"

	_ "github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

// A Set's listing answers for the clouds that answer: the instances of
// lab-a, and lab-b named in the *PartialError beside them.
func ExamplePartialError() {
	ctx := context.Background()
	set, err := perspective.OpenSet(ctx, []string{
		"mock://lab-a?project=web&region=R1",
		"mock://lab-b?project=db&region=R1&fail=ListInstances:forbidden",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer set.Close()
	a, _ := set.Cloud(perspective.Target{CloudID: "lab-a"})
	if _, err := a.Instances().Launch(ctx, perspective.LaunchSpec{Name: "web", FlavorID: "m1.tiny", ImageID: "cirros-0.6.2"}); err != nil {
		fmt.Println(err)
		return
	}

	insts, err := set.Instances().List(ctx, perspective.ListOptions{})
	var partial *perspective.PartialError
	if err != nil && !errors.As(err, &partial) {
		fmt.Println(err) // nothing was read
		return
	}
	for _, in := range insts {
		fmt.Println("listed:", in.Name, in.CloudID)
	}
	if partial != nil {
		fmt.Println(partial.Answered(), "of", partial.Clouds, "clouds answered")
		for _, f := range partial.Failed {
			fmt.Println("not listed:", f.Target.CloudID, perspective.Code(f.Err))
		}
	}
	fmt.Println("refused:", errors.Is(err, perspective.ErrForbidden))
	// Output:
	// listed: web lab-a
	// 1 of 2 clouds answered
	// not listed: lab-b forbidden
	// refused: true
}
