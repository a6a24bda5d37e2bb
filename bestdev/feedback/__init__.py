"""What people said about the answers: records, the store interface and its SQLite / Azure Tables implementations,
capture (accepting a decision for an answer BestDev gave), retention and export."""
