"""Term mining: zh/en candidates, evidence, pairing, scores and variants."""
