//! The fault-tree engine.
