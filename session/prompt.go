package session

import (
	"context"
	"strings"
	"unicode/utf8"
)

// InputKind is the kind of one item of a user prompt.
type InputKind uint8

// Input kinds.
const (
	// InputText is prompt text.
	InputText InputKind = iota
	// InputImage is an image given by URL or data.
	InputImage
	// InputLocalImage is an image given by a local path.
	InputLocalImage
)

// UserInput is one item of a user prompt. Text is read only for [InputText] items; nothing about an image
// but its count is recorded.
type UserInput struct {
	// Kind is what the item is.
	Kind InputKind
	// Text is the text of an [InputText] item (sensitive: logs only, and only with consent).
	Text string
}

// TextInput returns a text item.
func TextInput(s string) UserInput { return UserInput{Kind: InputText, Text: s} }

// UserPrompt is the argument of [Telemetry.UserPrompt]: the items of one user turn.
type UserPrompt struct {
	// Items are the prompt's items, in order.
	Items []UserInput
}

// UserPrompt records event codex.user_prompt. The prompt is the text items concatenated with no
// separator, and prompt_length is its length in Unicode code points.
//
//   - log record: prompt_length, prompt — the text only when Metadata.LogUserPrompts, otherwise
//     [RedactedPrompt];
//   - span event: prompt_length, text_input_count, image_input_count, local_image_input_count. The
//     prompt text never goes to spans or metrics.
func (t *Telemetry) UserPrompt(ctx context.Context, p UserPrompt) {
	if t.off() {
		return
	}
	e := t.begin(ctx, EventUserPrompt, true)
	if e == nil {
		return
	}
	var length, texts, images, local int64
	for i := range p.Items {
		switch p.Items[i].Kind {
		case InputText:
			texts++
			length += int64(utf8.RuneCountInString(p.Items[i].Text))
		case InputImage:
			images++
		case InputLocalImage:
			local++
		}
	}
	e.both(kPromptLength.Int64(length))
	if e.wantLog() {
		prompt := RedactedPrompt
		if t.md.LogUserPrompts {
			prompt = promptText(p.Items, texts)
		}
		e.logOnly(kPrompt.String(prompt))
	}
	e.traceOnly(kTextInputs.Int64(texts))
	e.traceOnly(kImageInputs.Int64(images))
	e.traceOnly(kLocalImageInput.Int64(local))
	t.finish(ctx, e)
}

// promptText concatenates the text items; one text item is returned without copying.
func promptText(items []UserInput, texts int64) string {
	if texts == 1 {
		for i := range items {
			if items[i].Kind == InputText {
				return items[i].Text
			}
		}
	}
	var b strings.Builder
	for i := range items {
		if items[i].Kind == InputText {
			b.WriteString(items[i].Text)
		}
	}
	return b.String()
}
