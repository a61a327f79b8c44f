package main

import (
	"sync"
	"time"
)

// maxConversations bounds the store: ids come from clients.
const maxConversations = 1000

// conversation is what the API remembers of one conversation.
type conversation struct {
	ID         string    `json:"id"`
	Turns      int       `json:"turns"`
	LastTool   string    `json:"last_tool,omitempty"`
	LastOutput string    `json:"last_output,omitempty"`
	Updated    time.Time `json:"updated"`
}

// conversations is an in-memory store, bounded to maxConversations (the oldest is forgotten first).
type conversations struct {
	mu sync.Mutex
	m  map[string]*conversation
}

func newConversations() *conversations { return &conversations{m: map[string]*conversation{}} }

// turn counts a new turn of id and returns its number.
func (c *conversations) turn(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	conv := c.m[id]
	if conv == nil {
		if len(c.m) >= maxConversations {
			c.evictOldestLocked()
		}
		conv = &conversation{ID: id}
		c.m[id] = conv
	}
	conv.Turns++
	conv.Updated = time.Now()
	return conv.Turns
}

// finish records the outcome of a turn.
func (c *conversations) finish(id, tool, output string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if conv := c.m[id]; conv != nil {
		conv.LastTool, conv.LastOutput = tool, output
	}
}

// get returns a copy of conversation id.
func (c *conversations) get(id string) (conversation, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	conv, ok := c.m[id]
	if !ok {
		return conversation{}, false
	}
	return *conv, true
}

func (c *conversations) evictOldestLocked() {
	var oldest *conversation
	for _, conv := range c.m {
		if oldest == nil || conv.Updated.Before(oldest.Updated) {
			oldest = conv
		}
	}
	if oldest != nil {
		delete(c.m, oldest.ID)
	}
}
