"""The keys the tests encrypt customer data with: fixed, like the tests' token secret."""

from __future__ import annotations

INDEX = "index=eCRAOHMFVGoN9PqQPe51Wx2ukO8VqDWIj2VeG7d7kog="
FIRST = "test1=rSaJe/xVewt7kmxheOQN3ZV2O5MNLUgYziBKQPnmTGo="
# A second key, for rotation: not in the tests' keyring until a test adds it.
SECOND = "test2=94DEpxZJhYpk8x5RysWYaQs9Q+W7a+gmvseNXYidfPY="
TEST_DATA_KEYS = f"{INDEX},{FIRST}"
