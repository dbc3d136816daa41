"""The benchmark of issue "Fast at any scale": `python bench/run.py --scale national|europe
--engine sqlite|postgresql [--json]`. See bench/README.md."""
