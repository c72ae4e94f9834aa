"""Evaluation: does the ranking find the firms that really invest, and which weights would.

* :mod:`chainmap.learn.backtest` — time-split replay of real investment events
  against the ranking and its baselines.
* :mod:`chainmap.learn.weights` — weights learned from those events.
* :mod:`chainmap.learn.signals` — signals from past events for the backtest.

Above the scorer in the layers (it scores with :mod:`chainmap.scoring`); the
features it shares with scoring live in :mod:`chainmap.features`.
"""
