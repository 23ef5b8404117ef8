"""paper: regenerates every figure and table of paper/paper.md from results/.

``python -m paper`` (full budgets) or ``python -m paper --quick`` (small
budgets, written under results/paper-quick/ unless --out says otherwise).
One module per experiment (pruning and speedup on LCBench, ranking, overhead,
and pruning_recorded, the appendix on the small recorded tasks), each with

- ``run(budget, *, results_dir, n_jobs) -> DataFrame``: runs the studies whose
  result file under ``results_dir/<experiment>/`` is missing (paper.store),
  then returns the rows of all of them;
- ``plot(df, out_dir) -> [paths]``: the PNG figure(s);
- ``table(df) -> str``: the markdown that fills the experiment's GENERATED
  block of paper.md (paper.document).

Budgets come from conf/experiment/<experiment>.yaml (paper.budgets); samplers
and pruners are built from the harness's conf/sampler, conf/pruner group files
(paper.registry); statistics are pure functions (paper.stats).
"""

EXPERIMENTS = ("pruning", "speedup", "ranking", "overhead", "pruning_recorded")
