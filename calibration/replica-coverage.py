"""How honest is the replica average's Ea interval with four models?

Per-model D (cm2/s) of laoc-v4's seeds 9-20 at 400-700 K, every point from a 1 ns run after 500 ps
of ageing (docs/FORCEFIELD-NOTES.md, ninth round). For every four-model subset (495), the replica
average as study/replicas.ts computes it (mean D per temperature, standard error over the models,
weighted fit of ln D on 1/T) and its Ea interval with z = 1.96 and with Student t(3); the share of
subsets whose interval covers the twelve-model Ea. (The twelve-model value shares models with each
subset, so these coverages lean high.) Run: /usr/bin/python3 calibration/replica-coverage.py
"""
import itertools
import numpy as np
from scipy import stats
kB=8.617333262e-5
T=np.array([400,500,600,700.])
D=np.array([
[1.0e-7,1.1e-7,4.9e-7,2.3e-7,1.3e-7,2.2e-7,2.8e-7,1.4e-7,4.8e-7,2.5e-7,2.6e-9,1.5e-7],
[1.9e-6,2.0e-6,1.7e-6,8.9e-7,1.5e-6,2.4e-6,9.5e-7,2.2e-6,2.1e-6,2.4e-6,2.4e-6,1.8e-6],
[9.1e-6,7.1e-6,9.0e-6,8.5e-6,1.1e-5,8.3e-6,1.1e-5,9.0e-6,9.8e-6,1.1e-5,9.3e-6,8.6e-6],
[2.2e-5,2.3e-5,1.9e-5,2.5e-5,2.2e-5,2.3e-5,2.1e-5,2.4e-5,1.8e-5,2.2e-5,2.2e-5,2.1e-5]])
np.seterr(divide="ignore", invalid="ignore")
def wfit(m,se):
    x=1/T; y=np.log(m); s=se/m; w=1/s**2
    W=w.sum(); xm=(w*x).sum()/W; ym=(w*y).sum()/W
    Sxx=(w*(x-xm)**2).sum(); b=(w*(x-xm)*(y-ym)).sum()/Sxx
    return -b*kB, np.sqrt(1/Sxx)*kB
def combo(idx):
    d=D[:,idx]; n=d.shape[1]
    m=d.mean(1); se=d.std(1,ddof=1)/np.sqrt(n)
    ea,sd=wfit(m,se)
    # jackknife over models
    jk=[]
    for i in range(n):
        k=[j for j in range(n) if j!=i]; dd=d[:,k]
        mm=dd.mean(1); ss=dd.std(1,ddof=1)/np.sqrt(n-1)
        jk.append(wfit(mm,ss)[0])
    jk=np.array(jk); jse=np.sqrt((n-1)/n*((jk-jk.mean())**2).sum())
    return ea,sd,jse
full=combo(list(range(12)))
print("12 models: Ea %.4f sd %.4f jk %.4f"%full)
ref=full[0]
n=4; t=stats.t.ppf(0.975,n-1)
cz=ct=cj=0; N=0; widths=[]
for idx in itertools.combinations(range(12),n):
    ea,sd,jse=combo(list(idx)); N+=1
    cz+= abs(ea-ref)<=1.96*sd; ct+=abs(ea-ref)<=t*sd; cj+=abs(ea-ref)<=t*jse
    widths.append((1.96*sd,t*sd,t*jse))
# (a subset with four equal D at one temperature has a zero standard error there: no width)
w=np.nanmean(np.array(widths),0)
print(N, "four-model subsets; coverage of 12-model Ea: z %.2f  t %.2f  jackknife-t %.2f"%(cz/N,ct/N,cj/N), "mean half-widths (eV): z %.3f, t %.3f, jackknife-t %.3f" % tuple(w))
