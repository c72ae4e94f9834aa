"""What other stores and tools need to test themselves against chainmap: hand-made worlds and the store contract.

Not imported by chainmap itself; pytest is needed only for :mod:`.store_contract`.
"""
