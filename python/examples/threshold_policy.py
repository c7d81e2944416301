"""A hand-written policy for the compare helper, no training library needed:

    python -m autofarm_gym.compare --policy threshold_policy:act --episodes 3 --seed 42 --out threshold.json
    (run from python/examples, or put this directory on PYTHONPATH)

then run the printed `autofarm compare-policies --agents replay ...` commands.
"""


def act(observation, info):
    """Add a worker while more than 20 tasks wait, drop one when none wait and more than 8 work."""
    worker_q, workers = observation[1], observation[4]
    if worker_q > 20:
        return 2  # +1
    if worker_q == 0 and workers > 8:
        return 0  # -1
    return 1  # hold
